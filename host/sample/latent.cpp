#include "sample/latent.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "util/error.hpp"

namespace genhost::sample {

namespace {

const genhost_latent& latent_api(const loader::PluginInstance& model) {
    const genhost_latent* l = model.latent();
    if (!l)
        throw Error("plugin '" + model.id() + "' has no latent space (" GENHOST_EXT_LATENT
                    "): remove the reconstruct and interpolate sections");
    return *l;
}

}  // namespace

std::vector<int64_t> slice_labels(const std::vector<int64_t>& labels, int64_t first, int64_t n) {
    if (labels.empty()) return {};
    return std::vector<int64_t>(labels.begin() + first, labels.begin() + first + n);
}

std::optional<std::vector<float>> encode_means(const loader::PluginInstance& model, const LabelledImages& x,
                                               int64_t batch_size) {
    const genhost_latent& l = latent_api(model);
    if (!l.encode) return std::nullopt;
    const int64_t d = model.latent_dim();
    const Images& im = x.images;
    const int64_t per = im.channels * im.height * im.width;
    std::vector<float> means(static_cast<size_t>(im.n * d)), logvar(means.size());
    for (int64_t first = 0; first < im.n; first += batch_size) {
        const int64_t n = std::min(batch_size, im.n - first);
        std::vector<int64_t> shape = {n, im.channels, im.height, im.width}, zshape = {n, d}, lshape = {n};
        DLTensor images = make_dltensor(const_cast<float*>(im.data.data()) + first * per, shape);
        DLTensor mean = make_dltensor(means.data() + first * d, zshape), lv = make_dltensor(logvar.data() + first * d, zshape);
        std::vector<int64_t> labels = slice_labels(x.labels, first, n);
        DLTensor y = make_dltensor(labels.data(), lshape);
        genhost_status s = l.encode(model.raw(), &images, labels.empty() ? nullptr : &y, &mean, &lv);
        if (s == GENHOST_ERROR_UNSUPPORTED) return std::nullopt;
        model.check(s, "encode");
    }
    return means;
}

Images decode(const loader::PluginInstance& model, const std::vector<float>& latents,
              const std::vector<int64_t>& labels, int64_t batch_size) {
    const genhost_latent& l = latent_api(model);
    const int64_t d = model.latent_dim();
    const std::array<int64_t, 3> shape3 = model.sample_shape();
    const int64_t total = static_cast<int64_t>(latents.size()) / d, per = shape3[0] * shape3[1] * shape3[2];
    Images out{total, shape3[0], shape3[1], shape3[2], std::vector<float>(static_cast<size_t>(total * per))};
    for (int64_t first = 0; first < total; first += batch_size) {
        const int64_t n = std::min(batch_size, total - first);
        std::vector<int64_t> zshape = {n, d}, shape = {n, shape3[0], shape3[1], shape3[2]}, lshape = {n};
        DLTensor z = make_dltensor(const_cast<float*>(latents.data()) + first * d, zshape);
        DLTensor images = make_dltensor(out.data.data() + first * per, shape);
        std::vector<int64_t> y_values = slice_labels(labels, first, n);
        DLTensor y = make_dltensor(y_values.data(), lshape);
        model.check(l.decode(model.raw(), &z, y_values.empty() ? nullptr : &y, &images), "decode");
    }
    return out;
}

Images reconstructions(const loader::PluginInstance& model, const LabelledImages& x, int64_t columns) {
    auto means = encode_means(model, x, 64);
    if (!means)
        throw Error("plugin '" + model.id() + "' cannot encode images, so it cannot reconstruct them: remove the "
                    "reconstruct section");
    return interleave_rows(x.images, decode(model, *means, x.labels, 64), columns);
}

Images interleave_rows(const Images& top, const Images& bottom, int64_t columns) {
    return interleave_rows(std::vector<const Images*>{&top, &bottom}, columns);
}

Images interleave_rows(const std::vector<const Images*>& sets, int64_t columns) {
    const Images& top = *sets.front();
    const int64_t per = top.channels * top.height * top.width;
    Images out{static_cast<int64_t>(sets.size()) * top.n, top.channels, top.height, top.width, {}};
    for (int64_t row = 0; row * columns < top.n; ++row) {
        const int64_t first = row * columns, n = std::min(columns, top.n - first);
        for (const Images* set : sets)
            out.data.insert(out.data.end(), set->data.begin() + first * per, set->data.begin() + (first + n) * per);
    }
    return out;
}

std::vector<float> interpolate_codes(const std::vector<float>& a, const std::vector<float>& b, int64_t steps,
                                     const std::string& method) {
    const size_t d = a.size();
    std::vector<float> out;
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < d; ++i) dot += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
    const double omega = std::acos(std::clamp(dot / std::sqrt(na * nb + 1e-30), -1.0, 1.0));
    for (int64_t s = 0; s < steps; ++s) {
        const double t = steps == 1 ? 0.0 : static_cast<double>(s) / static_cast<double>(steps - 1);
        double wa = 1 - t, wb = t;
        // Slerp keeps codes at the norm a Gaussian prior expects; near-parallel codes fall back to lerp.
        if (method == "slerp" && std::sin(omega) > 1e-6)
            wa = std::sin((1 - t) * omega) / std::sin(omega), wb = std::sin(t * omega) / std::sin(omega);
        for (size_t i = 0; i < d; ++i) out.push_back(static_cast<float>(wa * a[i] + wb * b[i]));
    }
    return out;
}

Images interpolations(const loader::PluginInstance& model, const LabelledImages& x, int64_t pairs, int64_t steps,
                      const std::string& method, uint64_t seed) {
    latent_api(model);
    const int64_t d = model.latent_dim();
    std::vector<float> ends;
    LabelledImages ends_of{x.images, x.labels};
    ends_of.images.n = std::min<int64_t>(x.images.n, 2 * pairs);
    if (auto means = encode_means(model, ends_of, 64)) {
        ends = std::move(*means);
    } else {  // a model that only decodes: interpolate between prior samples
        ends.resize(static_cast<size_t>(2 * pairs * d));
        fill_normal(ends.data(), static_cast<int64_t>(ends.size()), seed);
    }
    if (static_cast<int64_t>(ends.size()) < 2 * pairs * d)
        throw Error("interpolate: needs " + std::to_string(2 * pairs) + " images, the data has " +
                    std::to_string(ends.size() / d));
    std::vector<float> codes;
    std::vector<int64_t> labels;
    for (int64_t p = 0; p < pairs; ++p) {
        std::vector<float> a(ends.begin() + 2 * p * d, ends.begin() + (2 * p + 1) * d);
        std::vector<float> b(ends.begin() + (2 * p + 1) * d, ends.begin() + (2 * p + 2) * d);
        auto row = interpolate_codes(a, b, steps, method);
        codes.insert(codes.end(), row.begin(), row.end());
        if (!x.labels.empty()) labels.insert(labels.end(), static_cast<size_t>(steps), x.labels[static_cast<size_t>(2 * p)]);
    }
    return decode(model, codes, labels, 64);
}

}  // namespace genhost::sample
