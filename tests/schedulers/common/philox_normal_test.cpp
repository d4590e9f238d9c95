// The noise generator: Random123's known answers, the numpy twin in make_golden.py,
// and the statistics of a standard normal.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <genhost/cpp/scheduler/philox_normal.hpp>
#include "harness.hpp"

using namespace genhost::schedulers;

TEST_CASE("philox4x32_10 matches Random123's known-answer vectors", "[schedulers][noise]") {
    for (const auto& kat : genhost::test::golden("noise.json")["philox"]) {
        auto c = kat["counter"].get<std::vector<uint32_t>>();
        auto k = kat["key"].get<std::vector<uint32_t>>();
        auto expected = kat["out"].get<std::vector<uint32_t>>();
        auto out = philox4x32_10({c[0], c[1], c[2], c[3]}, {k[0], k[1]});
        CHECK(std::vector<uint32_t>(out.begin(), out.end()) == expected);
    }
}

TEST_CASE("normals match the numpy reimplementation in make_golden.py", "[schedulers][noise]") {
    for (const auto& g : genhost::test::golden("noise.json")["normals"]) {
        auto expected = g["values"].get<std::vector<double>>();
        std::vector<float> z(expected.size());
        fill_normal(g["seed"].get<uint64_t>(), z.data(), static_cast<int64_t>(z.size()));
        INFO("seed " << g["seed"] << ": " << genhost::test::describe_mismatch(z, expected));
        CHECK(genhost::test::close(z, expected, 1e-6));
    }
}

TEST_CASE("a noise element depends only on the seed and its index", "[schedulers][noise]") {
    std::vector<float> whole(103), part(50);
    fill_normal(42, whole.data(), 103);
    fill_normal(42, part.data(), 50, 53);  // starts mid-block: any split gives the same values
    CHECK(std::vector<float>(whole.begin() + 53, whole.end()) == part);
    std::vector<float> other(103);
    fill_normal(43, other.data(), 103);
    CHECK(other != whole);
}

TEST_CASE("normals have mean 0, variance 1 and normal tails", "[schedulers][noise]") {
    const int64_t n = 200000;
    std::vector<float> z(n), w(n);
    fill_normal(7, z.data(), n);
    fill_normal(8, w.data(), n);
    double sum = 0, squares = 0, tail = 0, cross = 0;
    for (int64_t i = 0; i < n; ++i) {
        sum += z[i], squares += double(z[i]) * z[i], cross += double(z[i]) * w[i];
        tail += std::fabs(z[i]) > 2.0;
    }
    const double mean = sum / n, variance = squares / n - mean * mean;
    // Standard errors at n = 2e5: mean 0.0022, variance 0.0032, tail 0.00047, correlation 0.0022.
    CHECK(std::fabs(mean) < 0.012);
    CHECK(std::fabs(variance - 1.0) < 0.016);
    CHECK(std::fabs(tail / n - 0.0455) < 0.0025);
    CHECK(std::fabs(cross / n) < 0.012);
}
