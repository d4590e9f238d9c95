// Vectorised transcendental kernels on xtensor + xsimd (about 2x std:: loops at the
// baseline x86-64 instruction set we compile for; plugins must run on any x86-64 CPU).
// y may equal x. Parallel over the engine's threads.
#pragma once

#include <cstdint>

namespace genhost::engine::vmath {

void exp(const float* x, float* y, int64_t n);
void log(const float* x, float* y, int64_t n);
void tanh(const float* x, float* y, int64_t n);
void sigmoid(const float* x, float* y, int64_t n);   // 1 / (1 + e^-x)
void silu(const float* x, float* y, int64_t n);      // x / (1 + e^-x)

// y = e^y in place on the calling thread only (for use inside a parallel loop).
void exp_inplace_serial(float* y, int64_t n);

}  // namespace genhost::engine::vmath
