// The stages of style-based generators (genhost.style/1) on a tiny StyleGAN: each writes
// its grid with the shape its options ask for, and each is refused before any work when
// the model has no styles or the options do not fit it.
#include <catch2/catch.hpp>

#include "image/png.hpp"
#include "support/genhost_run.hpp"

using namespace genhost::testing::run;

namespace {

const char* const kTinyStyleGan =
    "seed: 5\n"
    "data: {dataset: shapes, size: 32, batch_size: 8, image_size: 28, range: [-1, 1]}\n"
    "model:\n"
    "  plugin: stylegan\n"
    "  params: {latent_dim: 8, w_dim: 8, mapping_layers: 2, generator_channels: [8, 8, 4],\n"
    "           discriminator_channels: [4, 8, 8]}\n"
    "train: {steps: 2, log_every: 1}\n"
    "sample: {count: 0, grid: {scale: 1}}\n";

// Width and height in images of a grid of 28x28 images at scale 1 with padding 2.
std::pair<uint32_t, uint32_t> cells(const fs::path& png) {
    const auto p = genhost::image::read_png(png.string());
    return {(p.width - 2) / 30, (p.height - 2) / 30};
}

void refused(const std::string& name, const std::string& text, const std::string& message) {
    auto d = dir("style/" + name);
    const auto file = pipeline(d, text + "output: " + (d / "out").string() + "\n");
    for (const char* command : {"validate ", "run --quiet "}) {
        auto r = run_genhost(command + file.string());
        INFO(command << r.output);
        CHECK(r.code == 1);
        CHECK_THAT(r.output, Catch::Contains(message));
    }
    CHECK_FALSE(fs::exists(d / "out"));
}

}  // namespace

TEST_CASE("style_mixing, truncation and interpolate_w write grids of the asked shapes", "[run][style]") {
    auto d = dir("style/grids");
    const auto file = pipeline(d, std::string(kTinyStyleGan) +
                                      "style_mixing: {rows: 3, columns: 4, coarse_layers: 2}\n"
                                      "truncation: {rows: 2, psi: [1, 0.5, 0]}\n"
                                      "interpolate_w: {pairs: 2, steps: 5}\n"
                                      "output: " + (d / "out").string() + "\n");
    auto r = run_genhost("run " + file.string() + " --threads 1");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("layers 0-1 from the row, 2-5 from the column"));
    CHECK(cells(d / "out" / "style_mixing.png") == std::pair<uint32_t, uint32_t>{5, 4});  // sources on top and left
    CHECK(cells(d / "out" / "truncation.png") == std::pair<uint32_t, uint32_t>{3, 2});
    CHECK(cells(d / "out" / "interpolation_w.png") == std::pair<uint32_t, uint32_t>{5, 2});
}

TEST_CASE("the style stages are refused before training for a model without styles or layers out of range",
          "[run][style]") {
    refused("no-style",
            "data: {dataset: shapes, size: 64, batch_size: 16, image_size: 12}\nmodel: {plugin: mean-image}\n"
            "train: {steps: 2}\ntruncation: {rows: 2}\n",
            "truncation: plugin 'org.genhost.test.mean-image' is not a style-based generator");
    refused("coarse", std::string(kTinyStyleGan) + "style_mixing: {coarse_layers: 6}\n",
            "style_mixing.coarse_layers: 6 is not in [1, 5]");
}
