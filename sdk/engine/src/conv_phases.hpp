// A strided convolution computed as a stride-1 one: split the padded input into its s x s
// phases, x_ab[i, j] = x[s*i + a, s*j + b], and the kernel the same way; then
// y = conv_stride1(phases, phase kernel), with s*s times the channels and a kernel
// ceil(k/s) wide. The direct stride-1 kernels then serve every stride (DCGAN and
// WGAN critics, U-Net downsampling) with no im2col matrix. Internal.
#pragma once

#include "conv_geometry.hpp"
#include "genhost/engine/tensor.hpp"

namespace genhost::engine::conv_phases {

// Stride > 1 with dilation 1 (with dilation the phases do not line up).
bool takes(const ConvGeometry& g);

Tensor forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g);
Tensor input_grad(const Tensor& gy, const Tensor& w, const ConvGeometry& g);
Tensor weight_grad(const Tensor& x, const Tensor& gy, const ConvGeometry& g);

}  // namespace genhost::engine::conv_phases
