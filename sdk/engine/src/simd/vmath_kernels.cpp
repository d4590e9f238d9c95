// Vectorised exp and the functions built on it (see vmath_kernels.hpp), built once per ISA.
#include "simd/vmath_kernels.hpp"

#include "simd/vec.hpp"

namespace genhost::engine::simd::GENHOST_SIMD_NS {

namespace {

// Nothing from the standard library that emits code (see conv_kernels.cpp): the bit
// casts below are GCC vector casts, the rounding is done by adding a magic number.
typedef int32_t vi __attribute__((vector_size(kWidth * sizeof(int32_t)), aligned(4)));

inline vf bits_to_float(vi v) { return reinterpret_cast<vf>(v); }
inline vi float_to_bits(vf v) { return reinterpret_cast<vi>(v); }

// Cephes expf. Inputs are clamped to [-104, 89] (beyond, the result is 0 or +inf anyway)
// by selects that keep NaN: a comparison with NaN is false, so NaN passes unchanged and
// propagates through the arithmetic.
inline vf exp_v(vf x) {
    const vf hi = splat(89.0f), lo = splat(-104.0f);
    x = x > hi ? hi : x;
    x = x < lo ? lo : x;
    // n = round(x * log2(e)): adding 1.5 * 2^23 rounds to an integer in the low mantissa
    // bits, so the float's bits minus those of 1.5 * 2^23 are n as an int.
    const vf magic = splat(12582912.0f);
    const vf t = x * splat(1.44269504088896341f) + magic;
    const vf n = t - magic;
    const vi ni = float_to_bits(t) - float_to_bits(magic);
    // r = x - n ln 2, with ln 2 split so that n * C1 is exact.
    vf r = x - n * splat(0.693359375f);
    r = r - n * splat(-2.12194440e-4f);
    vf p = splat(1.9875691500e-4f);
    p = p * r + splat(1.3981999507e-3f);
    p = p * r + splat(8.3334519073e-3f);
    p = p * r + splat(4.1665795894e-2f);
    p = p * r + splat(1.6666665459e-1f);
    p = p * r + splat(5.0000001201e-1f);
    p = p * (r * r) + r + splat(1.0f);
    // 2^n as two factors 2^(n/2) * 2^(n - n/2): n reaches -150 and 129, beyond the
    // exponent range of one normal float, while each half stays inside it.
    const vi n1 = ni >> 1, n2 = ni - n1;
    return p * bits_to_float((n1 + 127) << 23) * bits_to_float((n2 + 127) << 23);
}

inline vf sigmoid_v(vf x) { return splat(1.0f) / (splat(1.0f) + exp_v(-x)); }

// Whole vectors, then the tail through a zero-padded vector (no over-read or over-write).
template <class F>
void unary(const float* x, float* y, int64_t n, F f) {
    int64_t i = 0;
    for (; i + kWidth <= n; i += kWidth) store(y + i, f(load(x + i)));
    if (i < n) {
        float a[kWidth] = {};
        for (int64_t j = i; j < n; ++j) a[j - i] = x[j];
        store(a, f(load(a)));
        for (int64_t j = i; j < n; ++j) y[j] = a[j - i];
    }
}

void exp_k(const float* x, float* y, int64_t n) { unary(x, y, n, [](vf v) { return exp_v(v); }); }
void sigmoid_k(const float* x, float* y, int64_t n) { unary(x, y, n, [](vf v) { return sigmoid_v(v); }); }
// As torch: x / (1 + e^-x) (-0 for very negative x, NaN at x = -inf like torch's).
void silu_k(const float* x, float* y, int64_t n) {
    unary(x, y, n, [](vf v) { return v / (splat(1.0f) + exp_v(-v)); });
}

inline vf silu_backward_v(vf g, vf x) {
    const vf s = sigmoid_v(x);
    return g * s * (splat(1.0f) + x * (splat(1.0f) - s));
}

void silu_backward_k(const float* g, const float* x, float* dx, int64_t n) {
    int64_t i = 0;
    for (; i + kWidth <= n; i += kWidth) store(dx + i, silu_backward_v(load(g + i), load(x + i)));
    if (i < n) {
        float a[kWidth] = {}, b[kWidth] = {};
        for (int64_t j = i; j < n; ++j) { a[j - i] = g[j]; b[j - i] = x[j]; }
        store(a, silu_backward_v(load(a), load(b)));
        for (int64_t j = i; j < n; ++j) dx[j] = a[j - i];
    }
}

}  // namespace

extern const VmathKernels vmath_kernels_table{&exp_k, &sigmoid_k, &silu_k, &silu_backward_k};

}  // namespace genhost::engine::simd::GENHOST_SIMD_NS
