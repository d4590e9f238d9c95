// Causality, checked by gradients: the logits at raster position i depend on no input at
// or after i, for every variant, at every position.
#include <catch2/catch.hpp>

#include "networks.hpp"

using namespace pixelcnn_test;

namespace {

void check_causal(const Variant& v) {
    const auto& s = v.image;
    const int64_t positions = s.channels * s.height * s.width;
    for (int64_t p = 0; p < positions; ++p) {
        const int64_t c = p % s.channels, x = (p / s.channels) % s.width, y = p / (s.channels * s.width);
        const std::vector<float> g = input_gradient(v, c, y, x);
        int64_t before_nonzero = 0;
        for (int64_t q = 0; q < positions; ++q) {
            const int64_t qc = q % s.channels, qx = (q / s.channels) % s.width, qy = q / (s.channels * s.width);
            const float d = g[size_t((qc * s.height + qy) * s.width + qx)];
            if (q >= p && d != 0.0f) FAIL(v.name << ": logits at position " << p << " depend on position " << q);
            before_nonzero += q < p && d != 0.0f;
        }
        if (p > 0 && before_nonzero == 0) FAIL(v.name << ": logits at position " << p << " see nothing before it");
    }
}

}  // namespace

TEST_CASE("pixelcnn is causal in raster order", "[pixelcnn][causality]") {
    check_causal(plain(1, false));
    check_causal(plain(1, true));
}

TEST_CASE("pixelcnn orders the channels of a pixel (R before G before B)", "[pixelcnn][causality]") {
    check_causal(plain(3, false, 4, 6, 2));
    check_causal(plain(3, true, 4, 6, 2));
}

TEST_CASE("gated pixelcnn is causal in raster order", "[pixelcnn][causality]") {
    check_causal(gated(false));
    check_causal(gated(true));
}

TEST_CASE("the conditional gated pixelcnn uses its label", "[pixelcnn]") {
    using namespace genhost::engine;
    Variant v = gated(true);
    Tensor x = Generator(5).uniform({1, 1, 9, 9});
    Tensor a = (*v.net)(x, {0}), b = (*v.net)(x, {2});
    double diff = 0;
    for (int64_t i = 0; i < a.numel(); ++i) diff += std::abs(a.data()[i] - b.data()[i]);
    CHECK(diff > 1e-3);
}
