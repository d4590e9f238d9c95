// The shape of one convolution, shared by the im2col path (conv.cpp) and the direct path
// (conv_direct.cpp). Internal.
#pragma once

#include <cstdint>

namespace genhost::engine {

struct ConvGeometry {
    int64_t N, C, H, W;          // input
    int64_t O, kh, kw;           // output channels, kernel
    int64_t Ho, Wo;              // output spatial
    int64_t s, p, d, G;          // stride, padding, dilation, groups
    uint64_t taps;               // taps in use, bit ki * kw + kj; 0: all (Conv2dOptions::taps)
    bool open(int64_t t) const { return taps == 0 || (taps >> t & 1); }
    int64_t Cg() const { return C / G; }
    int64_t Og() const { return O / G; }
    int64_t K() const { return Cg() * kh * kw; }   // GEMM inner size
    int64_t L() const { return Ho * Wo; }
};

}  // namespace genhost::engine
