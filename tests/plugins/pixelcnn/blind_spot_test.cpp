// The blind spot (van den Oord et al. 2016b, figure 1): stacked masked convolutions never
// see some pixels above-right of the current one, although they lie before it and inside
// the receptive field's bounding box; the gated network's two stacks see all of them.
#include <catch2/catch.hpp>

#include "networks.hpp"

using namespace pixelcnn_test;

namespace {

float at(const std::vector<float>& g, int64_t y, int64_t x) { return g[size_t(y * 9 + x)]; }

}  // namespace

TEST_CASE("plain pixelcnn has a blind spot above-right", "[pixelcnn][blind-spot]") {
    // 7x7 mask A then three 3x3 mask-B layers, position (6, 4) of a 9x9 image. Row 5 is
    // seen only up to column 4 + 3 (the first layer's reach), row 4 up to 4 + 4 (one
    // diagonal step of a B layer): pixel (5, 8) is before (6, 4) and never seen.
    Variant v = plain(1, false);
    const std::vector<float> g = input_gradient(v, 0, 6, 4);
    CHECK(at(g, 5, 7) != 0.0f);
    CHECK(at(g, 4, 8) != 0.0f);
    CHECK(at(g, 5, 8) == 0.0f);  // the blind spot
}

TEST_CASE("gated pixelcnn sees every pixel before it within its receptive field", "[pixelcnn][blind-spot]") {
    // First window 5 (radius 2), then two layers of 3 (radius 1): rows 2..5 at columns
    // 0..8 (4 either side of column 4) and row 6 left of column 4, with no hole.
    for (bool conditional : {false, true}) {
        Variant v = gated(conditional);
        INFO(v.name);
        const std::vector<float> g = input_gradient(v, 0, 6, 4);
        for (int64_t y = 2; y <= 5; ++y)
            for (int64_t x = 0; x <= 8; ++x) {
                INFO("pixel (" << y << ", " << x << ")");
                CHECK(at(g, y, x) != 0.0f);
            }
        for (int64_t x = 0; x < 4; ++x) CHECK(at(g, 6, x) != 0.0f);
        CHECK(at(g, 5, 8) != 0.0f);  // where the plain network is blind
    }
}
