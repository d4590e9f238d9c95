// The vmath loops: the per-ISA kernels split over threads, and xtensor expressions over
// adapted buffers (evaluated with xsimd) for the rest. xtensor lives only here (and never
// in a public header).
#include "vmath.hpp"

#include <array>
#include <cstddef>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "kernels.hpp"
#include "simd/vmath_kernels.hpp"

namespace genhost::engine::vmath {

namespace {

auto view(const float* p, int64_t n) {
    return xt::adapt(p, static_cast<size_t>(n), xt::no_ownership(), std::array<size_t, 1>{static_cast<size_t>(n)});
}
auto view(float* p, int64_t n) {
    return xt::adapt(p, static_cast<size_t>(n), xt::no_ownership(), std::array<size_t, 1>{static_cast<size_t>(n)});
}

// Applies kernel(x_chunk, y_chunk, len) over parallel chunks.
template <class K>
void run(const float* x, float* y, int64_t n, K kernel) {
    parallel_for(n, 1 << 15, [&](int64_t lo, int64_t hi) { kernel(x + lo, y + lo, hi - lo); });
}

}  // namespace

void exp(const float* x, float* y, int64_t n) { run(x, y, n, simd::vmath_kernels().exp); }
void exp_inplace_serial(float* y, int64_t n) { simd::vmath_kernels().exp(y, y, n); }

void log(const float* x, float* y, int64_t n) {
    run(x, y, n, [](const float* a, float* b, int64_t m) { auto out = view(b, m); xt::noalias(out) = xt::log(view(a, m)); });
}
void tanh(const float* x, float* y, int64_t n) {
    run(x, y, n, [](const float* a, float* b, int64_t m) { auto out = view(b, m); xt::noalias(out) = xt::tanh(view(a, m)); });
}
void sigmoid(const float* x, float* y, int64_t n) { run(x, y, n, simd::vmath_kernels().sigmoid); }
void silu(const float* x, float* y, int64_t n) { run(x, y, n, simd::vmath_kernels().silu); }
void silu_backward(const float* g, const float* x, float* dx, int64_t n) {
    auto kernel = simd::vmath_kernels().silu_backward;
    parallel_for(n, 1 << 15, [&](int64_t lo, int64_t hi) { kernel(g + lo, x + lo, dx + lo, hi - lo); });
}

}  // namespace genhost::engine::vmath
