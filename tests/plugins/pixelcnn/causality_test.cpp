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
    check_causal(gated(false, 4, 9, 3, true));
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

TEST_CASE("gated pixelcnn with an embedded input (several channels per position) is causal", "[pixelcnn][causality]") {
    using namespace genhost::engine;
    pixelcnn::GatedConfig c;
    c.image = {1, 7, 7, 16, 0};
    c.channels = 8, c.layers = 3, c.first_kernel = 5, c.kernel = 3, c.output_channels = 8, c.input_channels = 3;
    Parameters params;
    Generator init(11);
    pixelcnn::GatedPixelCnn net(params, c, init);
    for (int64_t p = 0; p < 49; ++p) {
        Generator g(1);
        Tensor in = g.uniform({1, 3, 7, 7});
        in.set_requires_grad(true);
        Tensor logits = net(in, {});  // [1, L, 1, 7, 7]
        Tensor pick = Tensor::zeros(logits.shape());
        for (int64_t l = 0; l < 16; ++l) pick.data()[l * 49 + p] = 1.0f + 0.1f * float(l);
        Tensor dx = grad({sum(logits * pick)}, {in})[0];
        int64_t before = 0;
        for (int64_t q = 0; q < 49; ++q)
            for (int64_t e = 0; e < 3; ++e) {
                const float d = dx.data()[e * 49 + q];
                if (q >= p && d != 0.0f) FAIL("logits at position " << p << " depend on channel " << e << " at " << q);
                before += q < p && d != 0.0f;
            }
        if (p > 0 && before == 0) FAIL("logits at position " << p << " see nothing before it");
    }
}
