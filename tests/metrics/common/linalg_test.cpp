// Symmetric eigendecomposition, PSD square roots and tr sqrt(S1 S2) on cases with known answers.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "common/linalg.hpp"

using namespace genhost::metrics;

namespace {

// A random symmetric PSD matrix B B^T / d with B [d, r]: rank min(r, d).
std::vector<double> random_psd(int64_t d, int64_t r, uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::normal_distribution<double> normal;
    std::vector<double> b(d * r), s(d * d, 0.0);
    for (double& v : b) v = normal(engine);
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = 0; j < d; ++j)
            for (int64_t k = 0; k < r; ++k) s[i * d + j] += b[i * r + k] * b[j * r + k] / d;
    return s;
}

std::vector<double> multiply(const std::vector<double>& a, const std::vector<double>& b, int64_t d) {
    std::vector<double> c(d * d, 0.0);
    for (int64_t i = 0; i < d; ++i)
        for (int64_t k = 0; k < d; ++k)
            for (int64_t j = 0; j < d; ++j) c[i * d + j] += a[i * d + k] * b[k * d + j];
    return c;
}

}  // namespace

TEST_CASE("symmetric_eigen of a 2x2 matrix") {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1) and (1, 1) over sqrt 2.
    const auto e = symmetric_eigen({2, 1, 1, 2}, 2);
    CHECK(e.values[0] == Approx(1.0));
    CHECK(e.values[1] == Approx(3.0));
    CHECK(std::fabs(e.vectors[2] * e.vectors[3]) == Approx(0.5));  // (1, 1)/sqrt 2 up to sign
    CHECK(e.vectors[2] * e.vectors[3] > 0);
    CHECK(e.vectors[0] * e.vectors[1] < 0);
}

TEST_CASE("psd_sqrt squares back, also for a singular matrix") {
    const int64_t d = 9;
    for (int64_t rank : {9, 4}) {
        const auto s = random_psd(d, rank, 2);
        const auto root = psd_sqrt(s, d);
        const auto back = multiply(root, root, d);
        for (int64_t k = 0; k < d * d; ++k) CHECK(back[k] == Approx(s[k]).margin(1e-12));
    }
}

TEST_CASE("trace_sqrt_product: tr sqrt(S S) = tr S, and diagonal matrices") {
    const int64_t d = 12;
    const auto s = random_psd(d, d, 3);
    double trace = 0;
    for (int64_t i = 0; i < d; ++i) trace += s[i * d + i];
    CHECK(trace_sqrt_product(s, s, d) == Approx(trace).epsilon(1e-12));

    std::vector<double> a(9, 0.0), b(9, 0.0);
    a[0] = 4, a[4] = 9, a[8] = 0;  // singular
    b[0] = 1, b[4] = 4, b[8] = 5;
    CHECK(trace_sqrt_product(a, b, 3) == Approx(2.0 + 6.0 + 0.0).epsilon(1e-12));
}
