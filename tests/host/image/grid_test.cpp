// make_grid against torchvision's make_grid + save_image restated in PyTorch
// (make_grid_fixture.py), plus the layout arithmetic and a PNG round trip.
#include "image/grid.hpp"
#include "image/png.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace genhost::image;

TEST_CASE("make_grid matches torchvision bytes", "[image][grid]") {
    std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/host/image/grid_fixture.txt");
    REQUIRE(in);
    int64_t n, c, h, w, columns, padding;
    float lo, hi, pad;
    in >> n >> c >> h >> w >> columns >> padding >> lo >> hi >> pad;
    std::vector<float> x(size_t(n * c * h * w));
    for (float& v : x) in >> v;
    uint32_t gh, gw;
    in >> gh >> gw;
    std::vector<int> want(size_t(gh) * gw * c);
    for (int& v : want) in >> v;
    REQUIRE(in);

    const Grid grid = make_grid(x.data(), n, c, h, w, columns, padding, {lo, hi}, pad);
    REQUIRE(grid.height == gh);
    REQUIRE(grid.width == gw);
    REQUIRE(grid.channels == uint32_t(c));
    int mismatches = 0;
    for (size_t i = 0; i < want.size(); ++i) mismatches += grid.pixels[i] != want[i];
    CHECK(mismatches == 0);
}

TEST_CASE("grid size is columns*(W+padding)+padding as in torchvision", "[image][grid]") {
    std::vector<float> x(10 * 1 * 28 * 28, 0.5f);
    const Grid g = make_grid(x.data(), 10, 1, 28, 28, 4, 2);
    CHECK(g.width == 4 * (28 + 2) + 2);
    CHECK(g.height == 3 * (28 + 2) + 2);  // ceil(10 / 4) rows
    const Grid few = make_grid(x.data(), 3, 1, 28, 28, 8, 2);
    CHECK(few.width == 3 * 30 + 2);      // columns = min(columns, N)
    CHECK(few.height == 30 + 2);
    // the last row's empty cells and the padding keep pad_value (black)
    CHECK(g.pixels[0] == 0);
    CHECK(g.pixels[size_t(2 * g.width + 2)] == 128);  // first pixel of image 0: 0.5 -> 128
    CHECK(g.pixels[size_t((g.height - 10) * g.width + g.width - 10)] == 0);
}

TEST_CASE("to_byte clamps, rounds like save_image and maps NaN to lo", "[image][grid]") {
    CHECK(to_byte(0.f, {}) == 0);
    CHECK(to_byte(1.f, {}) == 255);
    CHECK(to_byte(2.f, {}) == 255);
    CHECK(to_byte(-3.f, {}) == 0);
    CHECK(to_byte(0.5f, {}) == 128);          // 127.5 + 0.5 -> 128
    CHECK(to_byte(0.f, {-1.f, 1.f}) == 128);
    CHECK(to_byte(std::nanf(""), {-1.f, 1.f}) == 0);
}

TEST_CASE("save_grid writes a PNG that reads back as the grid", "[image][grid]") {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("genhost-grid-" + std::to_string(::getpid()) + ".png")).string();
    std::vector<float> x(6 * 3 * 5 * 4);
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(i % 17) / 16.f * 2.f - 1.f;
    save_grid(path, x.data(), 6, 3, 5, 4, 4, 1, {-1.f, 1.f});
    const Grid grid = make_grid(x.data(), 6, 3, 5, 4, 4, 1, {-1.f, 1.f});
    const Png png = read_png(path);
    REQUIRE(png.width == grid.width);
    REQUIRE(png.height == grid.height);
    REQUIRE(png.channels == 3);
    CHECK(std::vector<uint8_t>(png.samples.begin(), png.samples.end()) == grid.pixels);
    std::filesystem::remove(path);
}

TEST_CASE("make_grid rejects bad arguments with clear errors", "[image][grid]") {
    float x[4] = {0, 0, 0, 0};
    CHECK_THROWS_WITH(make_grid(x, 1, 2, 1, 2), Catch::Contains("2 channels"));
    CHECK_THROWS_WITH(make_grid(x, 0, 1, 2, 2), Catch::Contains("no images"));
    CHECK_THROWS_WITH(make_grid(x, 1, 1, 2, 2, 0), Catch::Contains("columns"));
    CHECK_THROWS_WITH(make_grid(x, 1, 1, 2, 2, 8, 2, {1.f, 1.f}), Catch::Contains("lo < hi"));
    CHECK_THROWS_WITH(save_grid("/nonexistent-dir/g.png", x, 1, 1, 2, 2),
                      Catch::Contains("/nonexistent-dir/g.png"));
}

TEST_CASE("upscale repeats every pixel into a block, and auto_scale reaches 64 pixels", "[image][grid]") {
    Grid g;
    g.width = 2, g.height = 1, g.channels = 3;
    g.pixels = {1, 2, 3, 4, 5, 6};
    const Grid big = upscale(g, 3);
    REQUIRE(big.width == 6);
    REQUIRE(big.height == 3);
    for (uint32_t y = 0; y < 3; ++y)
        for (uint32_t x = 0; x < 6; ++x)
            for (uint32_t c = 0; c < 3; ++c)
                CHECK(big.pixels[(y * 6 + x) * 3 + c] == g.pixels[(x / 3) * 3 + c]);
    CHECK(auto_scale(28, 28) == 3);
    CHECK(auto_scale(32, 32) == 2);
    CHECK(auto_scale(64, 64) == 1);
    CHECK(auto_scale(12, 200) == 1);
    // The scaled size counts against PNG's limit, and the message names the fix.
    CHECK_THROWS_WITH(check_grid(1024, 1, 28, 28, 1024, 2, {}, 64), Catch::Contains("lower the grid's scale"));
}

TEST_CASE("save_grid with scale 0 writes the grid enlarged by auto_scale", "[image][grid]") {
    const std::string path = (std::filesystem::temp_directory_path() / ("genhost_grid_scale_" + std::to_string(getpid()) + ".png")).string();
    std::vector<float> images(2 * 28 * 28, 0.5f);
    save_grid(path, images.data(), 2, 1, 28, 28, 8, 2, {}, 0.f, 0);
    const auto png = read_png(path);
    CHECK(png.width == 3 * (2 * 30 + 2));
    CHECK(png.height == 3 * (30 + 2));
    std::filesystem::remove(path);
}
