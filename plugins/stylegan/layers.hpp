// The layers StyleGAN2 (Karras et al. 2020) is built of.
//
// Equalized learning rate (Karras et al. 2018, sec. 4.1): a weight is stored as N(0, 1) / m
// and used as w * m / sqrt(fan_in), so every layer learns at the same speed under Adam;
// m (lr_mul) slows a layer down, as the mapping network's 0.01.
//
// Modulated convolution (StyleGAN2, eq. 1 and 3): the style s [N, Cin] of each image scales
// the input channels of the shared weight w [Cout, Cin, k, k], and demodulation rescales
// each output channel back to unit expected variance:
//
//   w'_ijk  = s_i * w_ijk
//   w''_ijk = w'_ijk / sqrt( sum_{i,k} w'_ijk^2 + eps )
//
// Computed without a per-image weight: conv(x * s, w) then times d_j = 1 / sqrt(sum_i s_i^2
// sum_k w_ijk^2 + eps), which is the same sum (the paper's sec. 2.2 notes it; the official
// code's fused_modconv=False path). tests/plugins/stylegan checks it against the per-image
// grouped convolution in PyTorch.
#pragma once

#include <string>

#include <genhost/engine/engine.hpp>

namespace stylegan {

using genhost::engine::Tensor;

constexpr float kSlope = 0.2f;

// leaky_relu(x, 0.2) * sqrt(2): keeps the activations' scale (StyleGAN's "lrelu" with gain).
Tensor lrelu(const Tensor& x);

// x [N, Cin, H, W], weight [Cout, Cin, k, k] (as used, scale applied), styles [N, Cin].
// Padding k / 2 (same size).
Tensor modulated_conv2d(const Tensor& x, const Tensor& weight, const Tensor& styles, bool demodulate,
                        float eps = 1e-8f);

// y = x (w * gain)^T + b * lr_mul, with gain = lr_mul / sqrt(in).
struct EqualLinear {
    Tensor weight, bias;  // [out, in], [out]
    float gain, lr_mul;
    EqualLinear(genhost::engine::Parameters& p, const std::string& name, int64_t in, int64_t out,
                genhost::engine::Generator& init, float bias_init = 0.0f, float lr_mul = 1.0f);
    Tensor operator()(const Tensor& x) const;
};

// A k x k convolution (padding k / 2) with the weight used as w / sqrt(Cin k k).
struct EqualConv2d {
    Tensor weight, bias;  // [out, in, k, k], [out]
    float gain;
    EqualConv2d(genhost::engine::Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t kernel,
                genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x) const;
};

}  // namespace stylegan
