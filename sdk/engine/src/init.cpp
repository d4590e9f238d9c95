// Initialisers with torch.nn.init's formulas (fan_in = size(1) * receptive field).
#include <cmath>

#include "internal.hpp"
#include "genhost/engine/init.hpp"
#include "genhost/engine/random.hpp"

namespace genhost::engine {

namespace {
std::pair<float, float> fans(const Tensor& t) {
    if (t.dim() < 2) shape_error("init: fan in/out needs a tensor of at least 2 dims, got " + t.shape_str());
    int64_t receptive = t.numel() / (t.size(0) * t.size(1));
    return {static_cast<float>(t.size(1) * receptive), static_cast<float>(t.size(0) * receptive)};
}
}  // namespace

void init_zeros(Tensor& t) { init_constant(t, 0.0f); }
void init_constant(Tensor& t, float v) { std::fill_n(t.data(), t.numel(), v); }

void init_normal(Tensor& t, Generator& gen, float mean, float stddev) {
    gen.fill_normal(t.data(), t.numel());
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = mean + stddev * p[i];
}

void init_uniform(Tensor& t, Generator& gen, float lo, float hi) {
    gen.fill_uniform(t.data(), t.numel());
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = lo + (hi - lo) * p[i];
}

void init_kaiming_normal(Tensor& t, Generator& gen, float a) {
    float gain = std::sqrt(2.0f / (1.0f + a * a));
    init_normal(t, gen, 0.0f, gain / std::sqrt(fans(t).first));
}
void init_kaiming_uniform(Tensor& t, Generator& gen, float a) {
    float gain = std::sqrt(2.0f / (1.0f + a * a));
    float bound = gain * std::sqrt(3.0f / fans(t).first);
    init_uniform(t, gen, -bound, bound);
}
void init_xavier_normal(Tensor& t, Generator& gen, float gain) {
    auto [fi, fo] = fans(t);
    init_normal(t, gen, 0.0f, gain * std::sqrt(2.0f / (fi + fo)));
}
void init_xavier_uniform(Tensor& t, Generator& gen, float gain) {
    auto [fi, fo] = fans(t);
    float bound = gain * std::sqrt(6.0f / (fi + fo));
    init_uniform(t, gen, -bound, bound);
}

}  // namespace genhost::engine
