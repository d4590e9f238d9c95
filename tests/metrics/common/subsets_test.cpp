// Subsets: distinct indices in range, fixed by the seed, and uniform.
#include <catch2/catch.hpp>

#include <set>

#include "common/subsets.hpp"

using genhost::metrics::SubsetSampler;

TEST_CASE("draw gives distinct indices below n, the same for the same seed") {
    SubsetSampler a(7), b(7), c(8);
    const auto x = a.draw(100, 30), y = b.draw(100, 30), z = c.draw(100, 30);
    CHECK(x == y);
    CHECK(x != z);
    const std::set<int64_t> distinct(x.begin(), x.end());
    CHECK(distinct.size() == 30);
    CHECK(*distinct.begin() >= 0);
    CHECK(*distinct.rbegin() < 100);
    CHECK(a.draw(5, 5).size() == 5);
}

TEST_CASE("draw is uniform: every index about equally often") {
    SubsetSampler s(1);
    std::vector<int> counts(10, 0);
    for (int t = 0; t < 20000; ++t)
        for (int64_t i : s.draw(10, 3)) ++counts[i];
    for (int c : counts) CHECK(std::abs(c - 6000) < 300);  // 6000 expected, std about 70
}

TEST_CASE("the subsets of a seed never change, so KID values stay comparable across versions") {
    // mt19937_64's 10000th output for the default seed is fixed by the C++ standard ...
    std::mt19937_64 engine;
    engine.discard(9999);
    CHECK(engine() == 9981545732273789042ull);
    // ... and the draws on top of it are ours: pinned here.
    CHECK(SubsetSampler(0).draw(1000, 5) == std::vector<int64_t>{694, 366, 993, 718, 116});
}
