// Every output file goes through the atomic write: a failing write (here a full disk,
// simulated by a file size limit) leaves the previous file whole and no temporary behind.
#include "image/grid.hpp"
#include "image/npy_write.hpp"
#include "image/png.hpp"
#include "util/error.hpp"

#include "support/file_size_limit.hpp"
#include "support/scratch.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Catch::Contains;

namespace {

std::string bytes_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    return out;
}

// Noise compresses badly, so the PNG is about as large as its pixels.
std::vector<uint8_t> noise(size_t n) {
    std::vector<uint8_t> v(n);
    uint32_t x = 12345;
    for (auto& b : v) b = static_cast<uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
    return v;
}

}  // namespace

TEST_CASE("write_png on a full disk leaves the previous PNG whole and no temporary", "[image][atomic]") {
    const fs::path dir = genhost::testing::fresh_scratch_dir("atomic-png");
    const fs::path target = dir / "samples.png";
    const auto small = noise(8 * 8);
    genhost::image::write_png(target.string(), small.data(), 8, 8, 1);
    const std::string before = bytes_of(target);

    const auto big = noise(256 * 256 * 3);
    const std::string message = genhost::testing::error_with_file_size_limit(16 << 10, [&] {
        genhost::image::write_png(target.string(), big.data(), 256, 256, 3);
    });
    CHECK_THAT(message, Contains(target.string()) && Contains("File too large") && Contains("is untouched"));
    CHECK(bytes_of(target) == before);
    CHECK(entries(dir) == std::vector<std::string>{"samples.png"});

    // Without the limit the same write replaces it.
    genhost::image::write_png(target.string(), big.data(), 256, 256, 3);
    CHECK(genhost::image::read_png(target.string()).width == 256);
    CHECK(entries(dir) == std::vector<std::string>{"samples.png"});
}

TEST_CASE("write_npy_f32 on a full disk leaves the previous .npy whole and no temporary", "[image][atomic]") {
    const fs::path dir = genhost::testing::fresh_scratch_dir("atomic-npy");
    const fs::path target = dir / "samples.npy";
    const std::vector<float> small(4, 1.0f);
    genhost::image::write_npy_f32(target.string(), small.data(), {4});
    const std::string before = bytes_of(target);

    const std::vector<float> big(1 << 16, 2.0f);
    const std::string message = genhost::testing::error_with_file_size_limit(16 << 10, [&] {
        genhost::image::write_npy_f32(target.string(), big.data(), {1 << 16});
    });
    CHECK_THAT(message, Contains(target.string()) && Contains("File too large") && Contains("is untouched"));
    CHECK(bytes_of(target) == before);
    CHECK(entries(dir) == std::vector<std::string>{"samples.npy"});

    genhost::image::write_npy_f32(target.string(), big.data(), {1 << 16});
    CHECK(bytes_of(target).size() == 128 + (size_t(1) << 18));
    CHECK(entries(dir) == std::vector<std::string>{"samples.npy"});
}

TEST_CASE("save_grid over a folder fails without removing the folder or leaving a temporary", "[image][atomic]") {
    const fs::path dir = genhost::testing::fresh_scratch_dir("atomic-grid");
    fs::create_directory(dir / "grid.png");
    const std::vector<float> images(2 * 1 * 4 * 4, 0.5f);
    CHECK_THROWS_WITH(genhost::image::save_grid((dir / "grid.png").string(), images.data(), 2, 1, 4, 4),
                      Contains("grid.png") && Contains("Is a directory"));
    CHECK(fs::is_directory(dir / "grid.png"));
    CHECK(entries(dir) == std::vector<std::string>{"grid.png"});
}
