// PNG reading against files from an independent encoder (make_png_fixtures.py) and a
// write/read round trip.
#include "image/png.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>
#include <string>

using genhost::image::Png;
using genhost::image::read_png;

namespace {

const std::string dir = std::string(GENHOST_TEST_DATA_DIR) + "/host/image/png/";
constexpr uint32_t W = 5, H = 3;

uint16_t gray(uint32_t x, uint32_t y) { return uint16_t((x * 40 + y * 70) % 256); }

std::string error_of(const std::string& path) {
    try {
        read_png(path);
    } catch (const genhost::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("8-bit gray PNG decodes to its pixels", "[image][png]") {
    const Png png = read_png(dir + "gray8.png");
    REQUIRE(png.width == W);
    REQUIRE(png.height == H);
    REQUIRE(png.channels == 1);
    REQUIRE(png.bit_depth == 8);
    for (uint32_t y = 0; y < H; ++y)
        for (uint32_t x = 0; x < W; ++x) CHECK(png.samples[y * W + x] == gray(x, y));
}

TEST_CASE("interlaced (Adam7) PNG decodes to the same pixels", "[image][png]") {
    const Png png = read_png(dir + "gray8_interlaced.png");
    REQUIRE(png.width == W);
    REQUIRE(png.height == H);
    for (uint32_t y = 0; y < H; ++y)
        for (uint32_t x = 0; x < W; ++x) CHECK(png.samples[y * W + x] == gray(x, y));
}

TEST_CASE("16-bit gray PNG keeps 16 bits", "[image][png]") {
    const Png png = read_png(dir + "gray16.png");
    REQUIRE(png.bit_depth == 16);
    REQUIRE(png.max_value() == 65535);
    for (uint32_t y = 0; y < H; ++y)
        for (uint32_t x = 0; x < W; ++x) CHECK(png.samples[y * W + x] == gray(x, y) * 257 + x);
}

TEST_CASE("RGB, RGBA and gray+alpha PNGs decode without alpha", "[image][png]") {
    for (const char* name : {"rgb8.png", "rgba8.png"}) {
        const Png png = read_png(dir + name);
        REQUIRE(png.channels == 3);
        for (uint32_t y = 0; y < H; ++y) {
            for (uint32_t x = 0; x < W; ++x) {
                const uint16_t* p = &png.samples[(y * W + x) * 3];
                CHECK(p[0] == x * 50);
                CHECK(p[1] == y * 100);
                CHECK(p[2] == 255 - x * 50);
            }
        }
    }
    const Png ga = read_png(dir + "gray_alpha8.png");
    REQUIRE(ga.channels == 1);
    CHECK(ga.samples[1 * W + 2] == gray(2, 1));
}

TEST_CASE("palette and 2-bit gray PNGs are expanded", "[image][png]") {
    const Png pal = read_png(dir + "palette2.png");
    REQUIRE(pal.channels == 3);
    REQUIRE(pal.bit_depth == 8);
    const uint16_t colours[4][3] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    for (uint32_t y = 0; y < H; ++y) {
        for (uint32_t x = 0; x < W; ++x) {
            const uint16_t* p = &pal.samples[(y * W + x) * 3];
            const uint16_t* want = colours[(x + y) % 4];
            CHECK((p[0] == want[0] && p[1] == want[1] && p[2] == want[2]));
        }
    }
    const Png g2 = read_png(dir + "gray2.png");
    REQUIRE(g2.channels == 1);
    REQUIRE(g2.bit_depth == 8);
    for (uint32_t y = 0; y < H; ++y)
        for (uint32_t x = 0; x < W; ++x) CHECK(g2.samples[y * W + x] == ((x + y) % 4) * 85);
}

TEST_CASE("malformed PNGs give errors naming the file", "[image][png]") {
    const std::string crc = error_of(dir + "bad_crc.png");
    CHECK_THAT(crc, Catch::Contains("bad_crc.png") && Catch::Contains("PNG decode error") &&
                        Catch::Contains("CRC"));
    CHECK_THAT(error_of(dir + "corrupt_idat.png"),
               Catch::Contains("corrupt_idat.png") && Catch::Contains("PNG decode error"));
    CHECK_THAT(error_of(dir + "truncated.png"),
               Catch::Contains("truncated.png") && Catch::Contains("truncated"));
    CHECK_THAT(error_of(dir + "not_png.png"),
               Catch::Contains("not_png.png") && Catch::Contains("not a PNG file"));
    CHECK_THAT(error_of(dir + "missing.png"),
               Catch::Contains("missing.png") && Catch::Contains("cannot open"));
}

TEST_CASE("write_png then read_png gives back the pixels", "[image][png]") {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("genhost-png-" + std::to_string(::getpid()) + ".png")).string();
    for (uint32_t channels : {1u, 3u}) {
        const uint32_t w = 7, h = 4;
        std::vector<uint8_t> pixels(w * h * channels);
        for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = uint8_t(i * 37 + 11);
        genhost::image::write_png(path, pixels.data(), w, h, channels);
        const Png png = read_png(path);
        REQUIRE(png.width == w);
        REQUIRE(png.height == h);
        REQUIRE(png.channels == channels);
        REQUIRE(png.bit_depth == 8);
        REQUIRE(std::vector<uint8_t>(png.samples.begin(), png.samples.end()) == pixels);
    }
    std::filesystem::remove(path);
}

TEST_CASE("write_png rejects bad arguments and unwritable paths", "[image][png]") {
    const uint8_t px[4] = {0, 1, 2, 3};
    CHECK_THROWS_WITH(genhost::image::write_png("/nonexistent-dir/x.png", px, 2, 2, 1),
                      Catch::Contains("/nonexistent-dir/x.png") && Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(genhost::image::write_png("y.png", px, 1, 1, 4),
                      Catch::Contains("y.png") && Catch::Contains("4 channels"));
    CHECK_THROWS_WITH(genhost::image::write_png("z.png", px, 0, 1, 1),
                      Catch::Contains("z.png") && Catch::Contains("0x1"));
}

TEST_CASE("a PNG chunk claiming more bytes than the file holds is refused before libpng allocates it",
          "[image][png]") {
    std::ifstream in(dir + "gray8.png", std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 33);
    // After the signature (8) and IHDR (25): a tEXt chunk claiming 2 GB - 16 bytes.
    const std::vector<uint8_t> huge = {0x7F, 0xFF, 0xFF, 0xF0, 't', 'E', 'X', 't', 'a', 'b', 'c'};
    bytes.insert(bytes.begin() + 33, huge.begin(), huge.end());
    CHECK_THROWS_WITH(genhost::image::decode_png(bytes.data(), bytes.size(), "huge.png"),
                      Catch::Contains("huge.png: PNG decode error near byte 33: chunk 'tEXt' claims 2147483632 bytes of data, "
                                      "but only"));
}

TEST_CASE("read_png refuses a FIFO or a device at once instead of blocking", "[image][png]") {
    const auto fifo = (std::filesystem::temp_directory_path() /
                       ("genhost-fifo-" + std::to_string(::getpid()) + ".png")).string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(read_png(fifo), fifo + ": is a FIFO (named pipe); expected a PNG file");
    std::filesystem::remove(fifo);
    CHECK_THROWS_WITH(read_png("/dev/zero"), "/dev/zero: is a character device; expected a PNG file");
}
