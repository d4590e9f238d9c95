#include "evaluate/likelihood.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <cmath>

#include "data/rng.hpp"
#include "util/error.hpp"

namespace genhost::evaluate {

std::vector<double> log_likelihoods(const loader::PluginInstance& model, const sample::LabelledImages& x,
                                    uint32_t num_samples, uint64_t seed, int64_t batch_size) {
    const genhost_likelihood* api = model.likelihood();
    if (!api) throw Error("plugin '" + model.id() + "' has no " GENHOST_EXT_LIKELIHOOD " capability");
    const sample::Images& im = x.images;
    const int64_t per = im.channels * im.height * im.width;
    std::vector<double> out;
    out.reserve(static_cast<size_t>(im.n));
    for (int64_t first = 0; first < im.n; first += batch_size) {
        const int64_t n = std::min(batch_size, im.n - first);
        std::vector<int64_t> shape = {n, im.channels, im.height, im.width}, nshape = {n};
        DLTensor images = make_dltensor(const_cast<float*>(im.data.data()) + first * per, shape);
        std::vector<int64_t> labels = sample::slice_labels(x.labels, first, n);
        DLTensor y = make_dltensor(labels.data(), nshape);
        std::vector<float> ll(static_cast<size_t>(n));
        DLTensor result = make_dltensor(ll.data(), nshape);
        genhost_likelihood_request request{sizeof(genhost_likelihood_request), &images,
                                           labels.empty() ? nullptr : &y, num_samples,
                                           data::derive_seed(seed, static_cast<uint64_t>(first))};
        model.check(api->log_likelihood(model.raw(), &request, &result), "log_likelihood");
        for (float v : ll) {
            if (!std::isfinite(v)) throw Error("plugin '" + model.id() + "': log_likelihood returned a non-finite value");
            out.push_back(v);
        }
    }
    return out;
}

double bits_per_dim(double mean_log_likelihood_nats, int64_t dims) {
    return -mean_log_likelihood_nats / (static_cast<double>(dims) * std::log(2.0));
}

}  // namespace genhost::evaluate
