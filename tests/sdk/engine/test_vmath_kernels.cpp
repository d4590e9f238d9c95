// The per-ISA transcendental kernels (sdk/engine/src/simd/vmath_kernels.cpp) against
// double-precision std::exp: the ulp error over the whole float range, the special values
// (+-inf, NaN, underflow, overflow), vector tails and in-place use. CTest runs it once per
// instruction set (GENHOST_ENGINE_ISA), like engine_conv_direct_test.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "simd/isa.hpp"
#include "simd/vmath_kernels.hpp"

using genhost::engine::simd::vmath_kernels;

namespace {

// Distance in representable floats between a and the double reference b rounded to float.
int64_t ulps(float a, double b) {
    float r = static_cast<float>(b);
    if (a == r) return 0;
    int32_t ia, ir;
    std::memcpy(&ia, &a, 4);
    std::memcpy(&ir, &r, 4);
    if ((ia < 0) != (ir < 0)) return std::numeric_limits<int32_t>::max();
    return std::abs(static_cast<int64_t>(ia) - static_cast<int64_t>(ir));
}

// Every 499th float of either sign in [lo, hi] (lo < 0 < hi): a dense sweep through all
// exponents, subnormals included.
std::vector<float> sweep(float lo, float hi) {
    std::vector<float> v;
    for (uint32_t bits = 1;; bits += 499) {
        float m;
        std::memcpy(&m, &bits, 4);
        if (m > hi && -m < lo) break;
        if (m <= hi) v.push_back(m);
        if (-m >= lo) v.push_back(-m);
    }
    return v;
}

}  // namespace

TEST_CASE("vmath exp is within 2 ulp of the correctly rounded value over the float range", "[engine][vmath]") {
    INFO("isa " << genhost::engine::simd::isa_name(genhost::engine::simd::active_isa()));
    std::vector<float> x = sweep(-104.0f, 89.0f), y(x.size());
    vmath_kernels().exp(x.data(), y.data(), static_cast<int64_t>(x.size()));
    int64_t worst = 0;
    float at = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const int64_t u = ulps(y[i], std::exp(static_cast<double>(x[i])));
        if (u > worst) { worst = u; at = x[i]; }
    }
    INFO("worst at x = " << at << " over " << x.size() << " values");
    CHECK(worst <= 2);
}

TEST_CASE("vmath exp handles infinities, NaN, overflow and underflow", "[engine][vmath]") {
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> x{0.0f, -0.0f, inf, -inf, nan, 88.72f, 88.73f, 1000.0f, -103.9f, -104.5f, -1000.0f, -87.5f};
    std::vector<float> y(x.size());
    vmath_kernels().exp(x.data(), y.data(), static_cast<int64_t>(x.size()));
    CHECK(y[0] == 1.0f);
    CHECK(y[1] == 1.0f);
    CHECK(y[2] == inf);
    CHECK(y[3] == 0.0f);
    CHECK(std::isnan(y[4]));
    CHECK(ulps(y[5], std::exp(static_cast<double>(88.72f))) <= 2);
    CHECK(y[6] == inf);
    CHECK(y[7] == inf);
    CHECK(std::fabs(y[8] - std::exp(static_cast<double>(-103.9f))) <= 2 * std::numeric_limits<float>::denorm_min());
    CHECK(y[9] == 0.0f);
    CHECK(y[10] == 0.0f);
    CHECK(ulps(y[11], std::exp(-87.5)) <= 2);
}

TEST_CASE("vmath sigmoid, silu and silu_backward match double references", "[engine][vmath]") {
    std::vector<float> x = sweep(-120.0f, 120.0f);
    const int64_t n = static_cast<int64_t>(x.size());
    std::vector<float> g(x.size()), s(x.size()), si(x.size()), dx(x.size());
    for (size_t i = 0; i < x.size(); ++i) g[i] = 0.5f + static_cast<float>(i % 7) * 0.25f;
    vmath_kernels().sigmoid(x.data(), s.data(), n);
    vmath_kernels().silu(x.data(), si.data(), n);
    vmath_kernels().silu_backward(g.data(), x.data(), dx.data(), n);
    double es = 0, esi = 0, edx = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double v = x[i], sd = 1.0 / (1.0 + std::exp(-v));
        const double dref = g[i] * sd * (1.0 + v * (1.0 - sd));
        es = std::max(es, std::fabs(s[i] - sd) / std::max(sd, 1e-30));
        esi = std::max(esi, std::fabs(si[i] - v * sd) / std::max(std::fabs(v * sd), 1e-30));
        // Relative to the size of its terms: 1 + x (1 - s) cancels near x = -1.28, in
        // float for torch as well.
        const double scale = g[i] * sd * (1.0 + std::fabs(v) * (1.0 - sd));
        edx = std::max(edx, std::fabs(dx[i] - dref) / std::max(scale, 1e-30));
    }
    CHECK(es < 1e-6);
    CHECK(esi < 1e-6);
    CHECK(edx < 1e-5);
}

TEST_CASE("vmath kernels handle every tail length and work in place", "[engine][vmath]") {
    for (int64_t n = 0; n <= 40; ++n) {
        std::vector<float> x(static_cast<size_t>(n) + 1), y(static_cast<size_t>(n) + 1, -7.0f);
        for (int64_t i = 0; i < n; ++i) x[i] = 0.37f * static_cast<float>(i) - 5.0f;
        x[n] = 123.0f;  // past the end: must be neither read into a result nor written
        vmath_kernels().silu(x.data(), y.data(), n);
        std::vector<float> z = x;
        vmath_kernels().silu(z.data(), z.data(), n);
        std::vector<float> d = x;
        vmath_kernels().silu_backward(d.data(), x.data(), d.data(), n);
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i], sd = 1.0 / (1.0 + std::exp(-v));
            CHECK(y[i] == Approx(v * sd).epsilon(1e-6).margin(1e-7));
            CHECK(z[i] == y[i]);
            CHECK(d[i] == Approx(v * sd * (1.0 + v * (1.0 - sd))).epsilon(1e-5).margin(1e-6));
        }
        CHECK(y[n] == -7.0f);
        CHECK(z[n] == 123.0f);
    }
}
