#include "sample/styles.hpp"

#include <algorithm>

#include <genhost/cpp/tensor_view.hpp>

#include "util/error.hpp"

namespace genhost::sample {

namespace {

constexpr int64_t kBatch = 64;  // images per synthesize call

}  // namespace

StyleSpace::StyleSpace(const loader::PluginInstance& model)
    : model_(model), api_(model.style()), dims_(model.style_dims()), shape_(model.sample_shape()) {}

std::vector<float> StyleSpace::prior_ws(int64_t n, uint64_t seed) const {
    std::vector<float> z(static_cast<size_t>(n * dims_.z_dim)), w(static_cast<size_t>(n * dims_.w_dim));
    fill_normal(z.data(), static_cast<int64_t>(z.size()), seed);
    std::vector<int64_t> z_shape = {n, dims_.z_dim}, w_shape = {n, dims_.w_dim};
    DLTensor zt = make_dltensor(z.data(), z_shape), wt = make_dltensor(w.data(), w_shape);
    model_.check(api_->map(model_.raw(), &zt, &wt), "style map");
    return w;
}

std::vector<float> StyleSpace::w_avg() const {
    std::vector<float> avg(static_cast<size_t>(dims_.w_dim));
    std::vector<int64_t> shape = {dims_.w_dim};
    DLTensor t = make_dltensor(avg.data(), shape);
    model_.check(api_->w_avg(model_.raw(), &t), "style w_avg");
    return avg;
}

std::vector<float> StyleSpace::truncate(const std::vector<float>& ws, float psi) const {
    const std::vector<float> avg = w_avg();
    std::vector<float> out(ws.size());
    for (size_t i = 0; i < ws.size(); ++i) {
        const float a = avg[i % avg.size()];
        out[i] = a + psi * (ws[i] - a);
    }
    return out;
}

Images StyleSpace::synthesize(const std::vector<float>& layer_ws, uint64_t noise_seed) const {
    const int64_t per = dims_.num_ws * dims_.w_dim, n = static_cast<int64_t>(layer_ws.size()) / per;
    Images out{n, shape_[0], shape_[1], shape_[2], {}};
    const int64_t pixels = shape_[0] * shape_[1] * shape_[2];
    out.data.resize(static_cast<size_t>(n * pixels));
    for (int64_t first = 0; first < n; first += kBatch) {
        const int64_t m = std::min(kBatch, n - first);
        std::vector<float> ws(layer_ws.begin() + first * per, layer_ws.begin() + (first + m) * per);
        std::vector<int64_t> ws_shape = {m, dims_.num_ws, dims_.w_dim}, image_shape = {m, shape_[0], shape_[1], shape_[2]};
        DLTensor wt = make_dltensor(ws.data(), ws_shape), it = make_dltensor(out.data.data() + first * pixels, image_shape);
        model_.check(api_->synthesize(model_.raw(), &wt, noise_seed, &it), "style synthesize");
    }
    return out;
}

Images StyleSpace::synthesize_same(const std::vector<float>& ws, uint64_t noise_seed) const {
    const int64_t n = static_cast<int64_t>(ws.size()) / dims_.w_dim;
    std::vector<float> layer_ws;
    layer_ws.reserve(static_cast<size_t>(n * dims_.num_ws * dims_.w_dim));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t l = 0; l < dims_.num_ws; ++l)
            layer_ws.insert(layer_ws.end(), ws.begin() + i * dims_.w_dim, ws.begin() + (i + 1) * dims_.w_dim);
    return synthesize(layer_ws, noise_seed);
}

std::vector<float> StyleSpace::mix(const float* a, const float* b, int64_t coarse) const {
    std::vector<float> out;
    out.reserve(static_cast<size_t>(dims_.num_ws * dims_.w_dim));
    for (int64_t l = 0; l < dims_.num_ws; ++l) {
        const float* src = l < coarse ? a : b;
        out.insert(out.end(), src, src + dims_.w_dim);
    }
    return out;
}

}  // namespace genhost::sample
