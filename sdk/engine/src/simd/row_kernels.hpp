// Streaming loops over one contiguous row: the sums and affine maps of normalisation
// (norm.cpp) and of reductions (reduce.cpp), one build per instruction set (isa.hpp).
//
// Sums are in float, in several vector accumulators (an order fixed by the ISA, so the
// same at every thread count); callers keep rows short enough for float (norm rows are
// one group; reduce.cpp sums long rows in blocks into a double).
#pragma once

#include <cstdint>

namespace genhost::engine::simd {

struct RowKernels {
    float (*sum)(const float* x, int64_t n);                    // sum x
    float (*sum_sq_dev)(const float* x, int64_t n, float m);    // sum (x - m)^2
    // y = x * a + b; y may equal x.
    void (*scale_shift)(const float* x, float* y, int64_t n, float a, float b);
    // *sg = sum g, *sgx = sum g * (x - m): the two sums of a normalisation's backward.
    void (*sum_g_gx)(const float* g, const float* x, int64_t n, float m, float* sg, float* sgx);
    // dx = g * a + (x - m) * b + c; dx may equal g or x.
    void (*norm_backward)(const float* g, const float* x, float* dx, int64_t n, float a, float m, float b, float c);
};

// The kernels for the active instruction set (isa.hpp).
const RowKernels& row_kernels();

}  // namespace genhost::engine::simd
