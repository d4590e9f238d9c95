// Interpolation between latent codes.
#include <catch2/catch.hpp>

#include <cmath>

#include "sample/latent.hpp"

using genhost::sample::interpolate_codes;

namespace {
double norm(const float* v, size_t d) {
    double s = 0;
    for (size_t i = 0; i < d; ++i) s += double(v[i]) * v[i];
    return std::sqrt(s);
}
}  // namespace

TEST_CASE("lerp and slerp start at a and end at b", "[latent]") {
    std::vector<float> a = {1, 0, 0}, b = {0, 2, 0};
    for (const char* method : {"lerp", "slerp"}) {
        auto c = interpolate_codes(a, b, 5, method);
        REQUIRE(c.size() == 15);
        CHECK(std::vector<float>(c.begin(), c.begin() + 3) == a);
        CHECK(c[12] == Approx(0.0f).margin(1e-6));
        CHECK(c[13] == Approx(2.0f));
    }
}

TEST_CASE("slerp between orthogonal unit codes stays on the unit circle", "[latent]") {
    auto c = interpolate_codes({1, 0}, {0, 1}, 7, "slerp");
    for (size_t i = 0; i < 7; ++i) CHECK(norm(&c[2 * i], 2) == Approx(1.0));
    auto l = interpolate_codes({1, 0}, {0, 1}, 3, "lerp");
    CHECK(norm(&l[2], 2) == Approx(std::sqrt(0.5)));
}

TEST_CASE("parallel codes fall back to a straight line", "[latent]") {
    auto c = interpolate_codes({1, 1}, {2, 2}, 3, "slerp");
    CHECK(c[2] == Approx(1.5f));
}
