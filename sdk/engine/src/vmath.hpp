// Vectorised transcendental loops. exp, sigmoid and silu run the per-ISA kernels of
// simd/vmath_kernels.hpp (AVX-512 or AVX2 where the CPU has them, though Debian builds
// for baseline x86-64); log and tanh run xtensor + xsimd at the baseline width.
// y may equal x. Parallel over the engine's threads.
#pragma once

#include <cstdint>

namespace genhost::engine::vmath {

void exp(const float* x, float* y, int64_t n);
void log(const float* x, float* y, int64_t n);
void tanh(const float* x, float* y, int64_t n);
void sigmoid(const float* x, float* y, int64_t n);   // 1 / (1 + e^-x)
void silu(const float* x, float* y, int64_t n);      // x / (1 + e^-x)
// dx = g * s * (1 + x * (1 - s)), s = sigmoid(x): SiLU's backward in one pass.
void silu_backward(const float* g, const float* x, float* dx, int64_t n);

// y = e^y in place on the calling thread only (for use inside a parallel loop).
void exp_inplace_serial(float* y, int64_t n);

}  // namespace genhost::engine::vmath
