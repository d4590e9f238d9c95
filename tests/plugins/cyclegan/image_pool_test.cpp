// The history pool (image_pool.hpp) as the authors' image_pool.py runs it: it passes the
// first `capacity` images through and keeps them; after that each image is, with
// probability 1/2, swapped for a stored one; capacity 0 passes everything through.
#include <catch2/catch.hpp>

#include <set>

#include "image_pool.hpp"

using namespace genhost::engine;

namespace {

// n 1x1x2 images whose pixels are (first + i, first + i).
Tensor images(int64_t n, float first) {
    std::vector<float> v;
    for (int64_t i = 0; i < n; ++i) v.insert(v.end(), {first + i, first + i});
    return Tensor::from_vector({n, 1, 1, 2}, v);
}

}  // namespace

TEST_CASE("the pool passes images through until full, then returns about half from its history", "[cyclegan][pool]") {
    cyclegan::ImagePool pool(4);
    Generator rng(3);
    Tensor first = pool.query(images(4, 0), rng);
    CHECK(std::vector<float>(first.data(), first.data() + 8) == std::vector<float>{0, 0, 1, 1, 2, 2, 3, 3});
    CHECK(pool.size() == 4);
    std::set<float> seen;
    int64_t from_history = 0, total = 0;
    for (int step = 0; step < 50; ++step) {
        const float base = 100.0f * static_cast<float>(step + 1);
        Tensor out = pool.query(images(4, base), rng);
        REQUIRE(pool.size() == 4);
        for (int64_t i = 0; i < 4; ++i) {
            const float v = out.data()[2 * i];
            CHECK(out.data()[2 * i + 1] == v);  // whole images, never mixed
            if (v != base + static_cast<float>(i)) ++from_history;
            ++total;
        }
    }
    CHECK(from_history > total * 35 / 100);
    CHECK(from_history < total * 65 / 100);
}

TEST_CASE("a pool of capacity 0 returns the latest images", "[cyclegan][pool]") {
    cyclegan::ImagePool pool(0);
    Generator rng(1);
    Tensor out = pool.query(images(3, 5), rng);
    CHECK(std::vector<float>(out.data(), out.data() + 6) == std::vector<float>{5, 5, 6, 6, 7, 7});
    CHECK(pool.size() == 0);
}
