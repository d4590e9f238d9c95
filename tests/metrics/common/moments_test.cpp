// Streaming moments against a two-pass computation, and their stability far from 0.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "common/moments.hpp"

using genhost::metrics::Moments;

namespace {

std::vector<float> random_rows(int64_t n, int64_t d, double offset, uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<float> x(static_cast<size_t>(n * d));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<float>(offset + (j + 1) * normal(engine));
    return x;
}

// Two passes in long double: the mean, then the centred products.
void two_pass(const std::vector<float>& x, int64_t n, int64_t d, std::vector<double>& mean, std::vector<double>& cov) {
    mean.assign(d, 0.0), cov.assign(d * d, 0.0);
    for (int64_t j = 0; j < d; ++j) {
        long double s = 0;
        for (int64_t i = 0; i < n; ++i) s += x[i * d + j];
        mean[j] = static_cast<double>(s / n);
    }
    for (int64_t a = 0; a < d; ++a)
        for (int64_t b = 0; b < d; ++b) {
            long double s = 0;
            for (int64_t i = 0; i < n; ++i) s += (x[i * d + a] - (long double)mean[a]) * (x[i * d + b] - (long double)mean[b]);
            cov[a * d + b] = static_cast<double>(s / (n - 1));
        }
}

}  // namespace

TEST_CASE("moments merged over uneven batches equal the two-pass mean and covariance") {
    const int64_t n = 301, d = 7;
    for (double offset : {0.0, 1.0e4}) {  // far from the origin, sum(x x^T) - n mu mu^T would lose digits
        const auto x = random_rows(n, d, offset, 1);
        Moments m;
        for (int64_t first = 0, batch = 1; first < n; first += batch, batch = batch * 2 + 1)
            m.add(x.data() + first * d, std::min(batch, n - first), d);
        REQUIRE(m.count() == n);
        std::vector<double> mean, cov;
        two_pass(x, n, d, mean, cov);
        const auto c = m.covariance();
        for (int64_t j = 0; j < d; ++j) CHECK(m.mean()[j] == Approx(mean[j]).epsilon(1e-12));
        for (int64_t k = 0; k < d * d; ++k) CHECK(c[k] == Approx(cov[k]).epsilon(1e-9).margin(1e-9));
    }
}
