// Transcendental loops (exp, sigmoid, SiLU and its derivative), one build per instruction
// set (isa.hpp), so that they run at the machine's full vector width.
//
// exp is Cephes' expf: e^x = 2^n * e^r with n = round(x / ln 2), |r| <= ln 2 / 2, and a
// degree-6 polynomial for e^r; at most 1 ulp from the correctly rounded value over the
// whole float range, subnormal results included (measured once on every 7th float; the
// test checks <= 2 ulp on every 499th), +inf above 88.72, 0 below -103.97, NaN for NaN. Every kernel reads x[i] and then writes y[i] only: y may equal x.
#pragma once

#include <cstdint>

namespace genhost::engine::simd {

struct VmathKernels {
    void (*exp)(const float* x, float* y, int64_t n);      // e^x
    void (*sigmoid)(const float* x, float* y, int64_t n);  // 1 / (1 + e^-x)
    void (*silu)(const float* x, float* y, int64_t n);     // x / (1 + e^-x)
    // The SiLU backward fused: dx = g * s * (1 + x * (1 - s)), s = sigmoid(x). dx may
    // equal g or x.
    void (*silu_backward)(const float* g, const float* x, float* dx, int64_t n);
};

// The kernels for the active instruction set (isa.hpp).
const VmathKernels& vmath_kernels();

}  // namespace genhost::engine::simd
