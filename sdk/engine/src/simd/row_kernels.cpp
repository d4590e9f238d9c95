// The row loops of row_kernels.hpp, built once per ISA. Sums keep kAcc vector accumulators
// (enough independent adds to hide the add latency), then add them pairwise, then the
// tail in order.
#include "simd/row_kernels.hpp"

#include "simd/vec.hpp"

namespace genhost::engine::simd::GENHOST_SIMD_NS {

namespace {

// Nothing from the standard library that emits code (see conv_kernels.cpp).
constexpr int kAcc = 4;
constexpr int64_t kStep = kAcc * kWidth;

inline float combine(vf a[kAcc]) { return hsum((a[0] + a[1]) + (a[2] + a[3])); }

float sum(const float* x, int64_t n) {
    vf a[kAcc] = {};
    int64_t i = 0;
    for (; i + kStep <= n; i += kStep)
        for (int k = 0; k < kAcc; ++k) a[k] += load(x + i + k * kWidth);
    for (; i + kWidth <= n; i += kWidth) a[0] += load(x + i);
    float s = combine(a);
    for (; i < n; ++i) s += x[i];
    return s;
}

float sum_sq_dev(const float* x, int64_t n, float m) {
    const vf mv = splat(m);
    vf a[kAcc] = {};
    int64_t i = 0;
    for (; i + kStep <= n; i += kStep)
        for (int k = 0; k < kAcc; ++k) { const vf d = load(x + i + k * kWidth) - mv; a[k] += d * d; }
    for (; i + kWidth <= n; i += kWidth) { const vf d = load(x + i) - mv; a[0] += d * d; }
    float s = combine(a);
    for (; i < n; ++i) { const float d = x[i] - m; s += d * d; }
    return s;
}

void scale_shift(const float* x, float* y, int64_t n, float a, float b) {
    const vf av = splat(a), bv = splat(b);
    int64_t i = 0;
    for (; i + kWidth <= n; i += kWidth) store(y + i, load(x + i) * av + bv);
    for (; i < n; ++i) y[i] = x[i] * a + b;
}

void sum_g_gx(const float* g, const float* x, int64_t n, float m, float* sg, float* sgx) {
    const vf mv = splat(m);
    vf a[kAcc] = {}, b[kAcc] = {};
    int64_t i = 0;
    for (; i + kStep <= n; i += kStep)
        for (int k = 0; k < kAcc; ++k) {
            const vf gv = load(g + i + k * kWidth);
            a[k] += gv;
            b[k] += gv * (load(x + i + k * kWidth) - mv);
        }
    for (; i + kWidth <= n; i += kWidth) {
        const vf gv = load(g + i);
        a[0] += gv;
        b[0] += gv * (load(x + i) - mv);
    }
    float s = combine(a), t = combine(b);
    for (; i < n; ++i) { s += g[i]; t += g[i] * (x[i] - m); }
    *sg = s;
    *sgx = t;
}

void norm_backward(const float* g, const float* x, float* dx, int64_t n, float a, float m, float b, float c) {
    const vf av = splat(a), mv = splat(m), bv = splat(b), cv = splat(c);
    int64_t i = 0;
    for (; i + kWidth <= n; i += kWidth) store(dx + i, load(g + i) * av + (load(x + i) - mv) * bv + cv);
    for (; i < n; ++i) dx[i] = g[i] * a + (x[i] - m) * b + c;
}

}  // namespace

extern const RowKernels row_kernels_table{&sum, &sum_sq_dev, &scale_shift, &sum_g_gx, &norm_backward};

}  // namespace genhost::engine::simd::GENHOST_SIMD_NS
