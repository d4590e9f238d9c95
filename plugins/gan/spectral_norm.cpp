#include "spectral_norm.hpp"

#include <algorithm>
#include <cmath>

using namespace genhost::engine;

namespace gan {

namespace {

// torch.nn.functional.normalize(a, dim=0, eps=1e-12)
void normalize(float* a, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * a[i];
    const float inv = 1.0f / std::max(static_cast<float>(std::sqrt(s)), 1e-12f);
    for (int64_t i = 0; i < n; ++i) a[i] *= inv;
}

}  // namespace

SpectralNorm::SpectralNorm(Parameters& params, const std::string& name, const Tensor& weight, Generator& init)
    : weight_(weight) {
    const int64_t rows = weight.size(0), cols = weight.numel() / rows;
    u_ = params.add_buffer(name + "_u", init.normal({rows}));
    v_ = params.add_buffer(name + "_v", init.normal({cols}));
    normalize(u_.data(), rows);
    normalize(v_.data(), cols);
}

Tensor SpectralNorm::operator()(bool update) {
    const int64_t rows = weight_.size(0), cols = weight_.numel() / rows;
    const float* w = weight_.data();
    float* u = u_.data();
    float* v = v_.data();
    if (update) {
        for (int64_t c = 0; c < cols; ++c) {  // v = normalize(W^T u)
            double s = 0;
            for (int64_t r = 0; r < rows; ++r) s += static_cast<double>(w[r * cols + c]) * u[r];
            v[c] = static_cast<float>(s);
        }
        normalize(v, cols);
        for (int64_t r = 0; r < rows; ++r) {  // u = normalize(W v)
            double s = 0;
            for (int64_t c = 0; c < cols; ++c) s += static_cast<double>(w[r * cols + c]) * v[c];
            u[r] = static_cast<float>(s);
        }
        normalize(u, rows);
    }
    Tensor uv = Tensor::empty({rows, cols});
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) uv.data()[r * cols + c] = u[r] * v[c];
    Tensor sigma = sum(reshape(weight_, {rows, cols}) * uv);
    return weight_ / sigma;
}

float SpectralNorm::sigma() const {
    const int64_t rows = weight_.size(0), cols = weight_.numel() / rows;
    double s = 0;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            s += static_cast<double>(u_.data()[r]) * weight_.data()[r * cols + c] * v_.data()[c];
    return static_cast<float>(s);
}

}  // namespace gan
