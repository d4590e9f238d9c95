// The latent capability: encode to [N, D] mean and log-variance, decode to images in the
// data range, for mlp and conv; conditional models honour and check their labels.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "vae_harness.hpp"

using vae_test::Buffer;

namespace {

const vae_test::Data kImages{1, 16, 16, 5, -1.0f, 1.0f};

std::vector<float> decode(vae_test::Vae& vae, const std::vector<float>& z, const std::vector<int64_t>& labels) {
    const int64_t n = static_cast<int64_t>(labels.size());
    Buffer<float> codes({n, static_cast<int64_t>(z.size()) / n}, z);
    Buffer<int64_t> y({n}, labels);
    Buffer<float> images({n, vae.data.channels, vae.data.height, vae.data.width});
    vae.check(vae.instance().latent()->decode(vae.raw(), codes.get(), y.get(), images.get()), "decode");
    return images.values;
}

}  // namespace

TEST_CASE("encode and decode have the documented shapes for mlp and conv", "[vae]") {
    for (const char* arch : {"mlp", "conv"}) {
        INFO(arch);
        vae_test::Vae vae({{"architecture", arch}, {"hidden", {32}}, {"conv_channels", {4, 8}}, {"latent_dim", 6}},
                          kImages);
        const genhost_latent* latent = vae.instance().latent();
        REQUIRE(latent != nullptr);
        REQUIRE(latent->encode != nullptr);
        CHECK(latent->latent_dim(vae.raw()) == 6);

        std::vector<float> pixels;
        std::vector<int64_t> labels;
        vae_test::shapes(3, 16, pixels, labels);
        for (float& p : pixels) p = 2.0f * p - 1.0f;  // the data range is [-1, 1]
        Buffer<float> x({3, 1, 16, 16}, pixels);
        Buffer<float> mean({3, 6}), logvar({3, 6});
        vae.check(latent->encode(vae.raw(), x.get(), nullptr, mean.get(), logvar.get()), "encode");
        CHECK(std::all_of(mean.values.begin(), mean.values.end(), [](float v) { return std::isfinite(v); }));

        Buffer<float> images({3, 1, 16, 16});
        vae.check(latent->decode(vae.raw(), mean.get(), nullptr, images.get()), "decode");
        CHECK(std::all_of(images.values.begin(), images.values.end(), [](float v) { return v >= -1.0f && v <= 1.0f; }));

        Buffer<float> wrong({3, 5});  // D is 6
        CHECK(latent->encode(vae.raw(), x.get(), nullptr, wrong.get(), logvar.get()) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(vae.last_error(), Catch::Contains("mean: expected shape [3,6]"));
    }
}

TEST_CASE("a conditional VAE decodes the same code differently for different labels, and checks them", "[vae]") {
    for (const char* arch : {"mlp", "conv"}) {
        INFO(arch);
        vae_test::Vae vae({{"architecture", arch}, {"hidden", {32}}, {"conv_channels", {4}}, {"latent_dim", 4},
                           {"conditional", true}},
                          kImages);
        const std::vector<float> z = {0.1f, -0.4f, 0.3f, 0.9f, 0.1f, -0.4f, 0.3f, 0.9f};
        auto same = decode(vae, z, {2, 2});
        auto different = decode(vae, z, {2, 4});
        const size_t half = same.size() / 2;
        CHECK(std::equal(same.begin(), same.begin() + half, same.begin() + half));
        CHECK_FALSE(std::equal(different.begin(), different.begin() + half, different.begin() + half));

        Buffer<float> codes({2, 4}, z);
        Buffer<int64_t> bad({2}, {1, 5});  // 5 classes: 0..4
        Buffer<float> images({2, 1, 16, 16});
        const genhost_latent* latent = vae.instance().latent();
        CHECK(latent->decode(vae.raw(), codes.get(), bad.get(), images.get()) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(vae.last_error(), Catch::Contains("labels[1] is 5, outside the model's classes [0, 5)"));
        CHECK(latent->decode(vae.raw(), codes.get(), nullptr, images.get()) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(vae.last_error(), Catch::Contains("needs a class label"));
    }
}

TEST_CASE("a conv VAE refuses an image side it cannot halve, naming the fix", "[vae]") {
    CHECK_THROWS_WITH(vae_test::Vae({{"architecture", "conv"}, {"conv_channels", {4, 8, 16}}}, {1, 28, 28, 0, 0, 1}),
                      Catch::Contains("divisible by 8") && Catch::Contains("28x28") &&
                          Catch::Contains("use fewer conv_channels"));
}

TEST_CASE("a conv VAE with latent_channels has spatial latents [c, h, w] (latent_shape, ABI 1.2)", "[vae]") {
    vae_test::Vae spatial({{"architecture", "conv"}, {"conv_channels", {4, 8}}, {"latent_channels", 3}}, kImages);
    CHECK(spatial.instance().latent_dim() == 3 * 4 * 4);
    CHECK(spatial.instance().latent_shape() == std::array<int64_t, 3>{3, 4, 4});
    // The flat codes are the maps row-major: decode takes [N, c*h*w].
    const std::vector<float> images = decode(spatial, std::vector<float>(2 * 48, 0.1f), {0, 0});
    CHECK(images.size() == 2 * 16 * 16);
    // Flat codes keep the 1.0 behaviour: no latent_shape slot.
    vae_test::Vae flat({{"architecture", "conv"}, {"conv_channels", {4, 8}}, {"latent_dim", 6}}, kImages);
    CHECK(flat.instance().latent()->latent_shape == nullptr);
    CHECK_FALSE(flat.instance().latent_shape().has_value());
    CHECK_THROWS_WITH(vae_test::Vae({{"architecture", "mlp"}, {"latent_channels", 3}}, kImages),
                      Catch::Contains("latent_channels needs architecture: conv"));
}
