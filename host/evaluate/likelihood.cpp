#include "evaluate/likelihood.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <cmath>

#include "data/rng.hpp"
#include "sample/autoregressive.hpp"
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

std::vector<double> exact_log_likelihoods(const loader::PluginInstance& model, const sample::LabelledImages& x,
                                          float lo, float hi, int64_t batch_size) {
    const genhost_autoregressive* api = model.autoregressive();
    if (!api) throw Error("plugin '" + model.id() + "' has no " GENHOST_EXT_AUTOREGRESSIVE " capability");
    const sample::Images& im = x.images;
    const int64_t L = api->num_levels(model.raw()), per = im.channels * im.height * im.width;
    const bool conditional = api->num_classes(model.raw()) > 0;
    if (conditional && x.labels.empty())
        throw Error("plugin '" + model.id() + "' is class-conditional but the test images have no labels");
    std::vector<double> out;
    out.reserve(static_cast<size_t>(im.n));
    for (int64_t first = 0; first < im.n; first += batch_size) {
        const int64_t n = std::min(batch_size, im.n - first);
        std::vector<int64_t> levels(static_cast<size_t>(n * per));
        for (int64_t i = 0; i < n * per; ++i) levels[size_t(i)] = sample::to_level(im.data[size_t(first * per + i)], lo, hi, L);
        std::vector<int64_t> shape = {n, im.channels, im.height, im.width}, nshape = {n},
                             lshape = {n, L, im.channels, im.height, im.width};
        DLTensor tx = make_dltensor(levels.data(), shape);
        std::vector<int64_t> labels = conditional ? sample::slice_labels(x.labels, first, n) : std::vector<int64_t>{};
        DLTensor y = make_dltensor(labels.data(), nshape);
        std::vector<float> logits(static_cast<size_t>(n * L * per));
        DLTensor tl = make_dltensor(logits.data(), lshape);
        model.check(api->logits(model.raw(), &tx, labels.empty() ? nullptr : &y, &tl), "logits");
        for (int64_t k = 0; k < n; ++k) {
            double sum = 0;
            for (int64_t j = 0; j < per; ++j) {
                // log softmax at the true level: l[x] - logsumexp(l).
                const float* l = logits.data() + k * L * per + j;
                double top = l[0];
                for (int64_t v = 1; v < L; ++v) top = std::max(top, double(l[v * per]));
                double z = 0;
                for (int64_t v = 0; v < L; ++v) z += std::exp(double(l[v * per]) - top);
                sum += double(l[levels[size_t(k * per + j)] * per]) - top - std::log(z);
            }
            if (!std::isfinite(sum)) throw Error("plugin '" + model.id() + "': logits gave a non-finite log-likelihood");
            out.push_back(sum);
        }
    }
    return out;
}

double bits_per_dim(double mean_log_likelihood_nats, int64_t dims) {
    return -mean_log_likelihood_nats / (static_cast<double>(dims) * std::log(2.0));
}

}  // namespace genhost::evaluate
