// Direct convolution kernels (conv_direct.cpp drives them), one build per instruction set.
//
// They see a stride-1 convolution as a 1-D one: each channel is zero-padded and flattened
// with row stride Wp, so output position q = oh * Wp + ow reads input q + taps[t], where
// tap t = (ki, kj) sits at offset ki * dilation * Wp + kj * dilation. The positions with
// ow >= Wo are computed and dropped: a few wasted lanes buy loads that are always
// contiguous and full vectors at every image size (7x7 as well as 28x28).
#pragma once

#include <cstdint>

namespace genhost::engine::simd {

struct ConvKernels {
    int width;       // floats per vector: Q below must be a multiple of it
    int out_block;   // output channels per register block: the weights' packing (forward)
    int grad_block;  // output channels per block of gT (weight_grad)

    // out[o * Q + q] = sum_{c, t} W(o, c, t) * x[c * S + taps[t] + q] for o < O, q < Q,
    // W(o, c, t) = w[((o / B * C + c) * T + t) * B + o % B] with B = out_block: the
    // weights of one block contiguous, its last block zero-padded to B. x: C channels of
    // stride S, readable up to taps[T-1] + Q.
    void (*forward)(const float* x, int64_t C, int64_t S, const float* w, int64_t O,
                    const int64_t* taps, int64_t T, float* out, int64_t Q);

    // The weight gradient, with output channels innermost so that vectors run along
    // them (no horizontal sums). ldo: the output channels rounded up to whole vectors.
    // gT holds the output gradient in blocks of G = min(grad_block, ldo) channels:
    // gT[((b * count + n) * rows + oh) * row_len + ow][G] is channels [b * G, b * G + G)
    // at (n, oh, ow) (zero past the real channels), so a block's rows are contiguous.
    // Over `count` samples and the rows x row_len valid positions of each,
    //   dwT[(c * T + t) * ldo + o] += sum gT(o, n, oh, ow) * x[n * xs + c * S + taps[t] + oh * Wp + ow]
    // for o < ldo.
    void (*weight_grad)(const float* gT, int64_t ldo, const float* x, int64_t xs, int64_t C, int64_t S,
                        const int64_t* taps, int64_t T, int64_t count, int64_t rows, int64_t row_len,
                        int64_t Wp, float* dwT);
};

// The kernels for the active instruction set (isa.hpp).
const ConvKernels& conv_kernels();

}  // namespace genhost::engine::simd
