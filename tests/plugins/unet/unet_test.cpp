// The network itself: shapes, determinism, conditioning, config errors.
#include <catch2/catch.hpp>

#include <cmath>

#include <genhost/engine/engine.hpp>

#include "unet.hpp"

using namespace genhost::engine;
using genhost::unet::UNet;
using genhost::unet::UNetConfig;

namespace {

UNetConfig tiny(int64_t classes = 0) {
    UNetConfig c;
    c.in_channels = 1, c.image_size = 12, c.base_channels = 8, c.channel_mult = {1, 2};
    c.attention_resolutions = {6}, c.attention_head_dim = 8, c.norm_num_groups = 4, c.num_class_embeds = classes;
    return c;
}

std::vector<float> run(const UNet& net, const Tensor& x, const std::vector<int64_t>& labels) {
    NoGradGuard no_grad;
    Generator unused(0);
    return net(x, {10.0f, 500.0f, 999.0f}, labels, false, unused).to_vector();
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(double(a[i]) - double(b[i])));
    return d;
}

}  // namespace

TEST_CASE("the output has the shape of the input, for one and three channels", "[unet]") {
    for (int64_t channels : {1, 3}) {
        Parameters p;
        Generator init(1);
        UNetConfig c = tiny();
        c.in_channels = channels;
        UNet net(p, c, init);
        Generator noise(2);
        Tensor x = noise.normal({3, channels, 12, 12});
        Tensor y = net(x, {0.0f, 1.5f, 999.0f}, {}, true, noise);
        CHECK(y.shape() == Shape{3, channels, 12, 12});
    }
}

TEST_CASE("the same seed gives the same weights and outputs", "[unet]") {
    Parameters p1, p2;
    Generator i1(7), i2(7);
    UNet a(p1, tiny(), i1), b(p2, tiny(), i2);
    Generator noise(3);
    Tensor x = noise.normal({3, 1, 12, 12});
    CHECK(max_difference(run(a, x, {}), run(b, x, {})) == 0.0);
    CHECK(p1.count() == p2.count());
}

TEST_CASE("labels change a conditional model's output and -1 is the null class", "[unet]") {
    Parameters p;
    Generator init(5);
    UNet net(p, tiny(4), init);
    Generator noise(3);
    Tensor x = noise.normal({3, 1, 12, 12});
    const auto unconditional = run(net, x, {});
    CHECK(max_difference(run(net, x, {0, 1, 2}), unconditional) > 1e-4);
    CHECK(max_difference(run(net, x, {0, 1, 2}), run(net, x, {3, 2, 1})) > 1e-4);
    CHECK(max_difference(run(net, x, {-1, -1, -1}), unconditional) == 0.0);
}

TEST_CASE("a config that cannot work is refused with the setting named", "[unet]") {
    Parameters p;
    Generator init(0);
    UNetConfig c = tiny();
    c.norm_num_groups = 3;
    CHECK_THROWS_WITH(UNet(p, c, init), Catch::Contains("norm_num_groups 3 does not divide"));
    c = tiny();
    c.channel_mult = {1, 2, 2, 2};  // 12 -> 6 -> 3 -> cannot halve again
    CHECK_THROWS_WITH(UNet(p, c, init), Catch::Contains("cannot be halved"));
    c = tiny();
    c.attention_head_dim = 5;
    CHECK_THROWS_WITH(UNet(p, c, init), Catch::Contains("attention_head_dim 5"));
    c = tiny();
    c.channel_mult = {1, 1000};
    CHECK_THROWS_WITH(UNet(p, c, init), Catch::Contains("outside [1, 4096] channels"));
}
