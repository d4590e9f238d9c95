// The gated network's learned position map (gated.hpp, position_channels): it starts as
// nothing (the network of the same seed without a map), and once learned it tells a pixel
// where it is. Its causality and its sampling cache are checked with the other variants
// (causality_test.cpp, cache_test.cpp).
#include <catch2/catch.hpp>

#include <algorithm>

#include "networks.hpp"

using namespace pixelcnn_test;
using namespace genhost::engine;

namespace {

std::vector<float> logits(const Variant& v, const Tensor& x) {
    NoGradGuard ng;
    Tensor l = (*v.net)(x, v.labels);
    return std::vector<float>(l.data(), l.data() + l.numel());
}

// The positioned variant (its map randomised) with the map back at its initial zeros.
Variant zero_map() {
    Variant v = gated(false, 4, 9, 3, true);
    for (const auto& e : v.params->entries())
        if (e.name == "position.map") {
            Tensor map = e.tensor;
            std::fill(map.data(), map.data() + map.numel(), 0.0f);
        }
    return v;
}

}  // namespace

TEST_CASE("the position map starts as the network without one", "[pixelcnn][position]") {
    // Same seed, same weights where both have them: the map's weights are drawn last, and
    // a zero map adds nothing (its 1x1s have no bias).
    Tensor x = Generator(5).uniform({2, 1, 9, 9});
    CHECK(logits(zero_map(), x) == logits(gated(false), x));
}

TEST_CASE("the position map tells the gated pixelcnn where a pixel is", "[pixelcnn][position]") {
    // A black image looks the same from every pixel away from the edges: (5, 4) and (6, 4)
    // see only the image's inside (reach 4). Only a learned map makes them differ.
    Tensor x = Tensor::zeros({1, 1, 9, 9});
    auto column = [](const std::vector<float>& l, int64_t y) {
        std::vector<float> v;
        for (int64_t k = 0; k < 4; ++k) v.push_back(l[size_t((k * 9 + y) * 9 + 4)]);
        return v;
    };
    const auto without = logits(gated(false), x), with = logits(gated(false, 4, 9, 3, true), x);
    CHECK(column(without, 5) == column(without, 6));
    CHECK(column(with, 5) != column(with, 6));
}
