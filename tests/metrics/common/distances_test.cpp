// Blocked distances and k-NN radii against direct loops.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "common/distances.hpp"

using namespace genhost::metrics;

namespace {

FeatureRows random_rows(int64_t n, int64_t d, uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::normal_distribution<float> normal;
    std::vector<float> x(n * d);
    for (float& v : x) v = normal(engine);
    FeatureRows rows;
    rows.append(x.data(), n, d);
    return rows;
}

double direct(const FeatureRows& a, int64_t i, const FeatureRows& b, int64_t j) {
    double s = 0;
    for (int64_t k = 0; k < a.dim(); ++k) s += (a.row(i)[k] - b.row(j)[k]) * (a.row(i)[k] - b.row(j)[k]);
    return std::sqrt(s);
}

}  // namespace

TEST_CASE("for_each_squared_distance_block covers every pair once, with exact zeros on the diagonal") {
    const FeatureRows a = random_rows(37, 5, 1), b = random_rows(23, 5, 2);
    std::vector<int> seen(37, 0);
    for_each_squared_distance_block(a, b, false, [&](int64_t first, int64_t rows, const double* dist) {
        for (int64_t r = 0; r < rows; ++r) {
            ++seen[first + r];
            for (int64_t j = 0; j < 23; ++j) CHECK(std::sqrt(dist[r * 23 + j]) == Approx(direct(a, first + r, b, j)).epsilon(1e-12));
        }
    });
    CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
    for_each_squared_distance_block(a, a, true, [&](int64_t first, int64_t rows, const double* dist) {
        for (int64_t r = 0; r < rows; ++r) CHECK(dist[r * 37 + first + r] == 0.0);
    });
}

TEST_CASE("knn_squared_radii is the squared distance to the k-th other point") {
    const FeatureRows x = random_rows(40, 3, 3);
    const auto radii = knn_squared_radii(x, {1, 3});
    for (int64_t i = 0; i < 40; ++i) {
        std::vector<double> d;
        for (int64_t j = 0; j < 40; ++j)
            if (j != i) d.push_back(direct(x, i, x, j));
        std::sort(d.begin(), d.end());
        CHECK(std::sqrt(radii[0][i]) == Approx(d[0]).epsilon(1e-10));
        CHECK(std::sqrt(radii[1][i]) == Approx(d[2]).epsilon(1e-10));
    }
    CHECK_THROWS_WITH(knn_squared_radii(x, {40}), Catch::Matchers::Contains("needs more than 40 images"));
}
