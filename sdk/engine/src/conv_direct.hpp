// Direct convolution for stride 1 (every 3x3 "same" conv of a U-Net or a VAE): no im2col
// matrix, vector kernels per instruction set (simd/conv_kernels.hpp). conv.cpp sends the
// geometries these take here and the rest (strided convs) through im2col + GEMM.
#pragma once

#include "conv_geometry.hpp"
#include "genhost/engine/tensor.hpp"

namespace genhost::engine::conv_direct {

// y = conv(x, w) and the weight gradient: stride-1 geometries but 1x1 kernels with 128 or
// more output channels per group (conv.cpp's GEMM path is faster there).
bool takes(const ConvGeometry& g);
// dx, computed as the convolution of gy with the flipped kernel: also needs
// padding <= dilation * (k - 1) so that the flipped convolution's padding is >= 0.
bool takes_input_grad(const ConvGeometry& g);

// bias: optional [O], added while the output is copied out.
Tensor forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g);
Tensor input_grad(const Tensor& gy, const Tensor& w, const ConvGeometry& g);
Tensor weight_grad(const Tensor& x, const Tensor& gy, const ConvGeometry& g);

// Tests compare the two paths: false sends every convolution through im2col.
void set_enabled(bool enabled);
bool enabled();

}  // namespace genhost::engine::conv_direct
