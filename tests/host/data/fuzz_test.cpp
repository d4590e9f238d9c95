// Corrupted inputs must give a genhost::Error or a valid result: never a crash, a hang,
// another exception type, or (under ASan) an over-read. Deterministic mutations of small
// valid files: flipped bytes, cuts, and appended garbage.
#include "data/idx.hpp"
#include "data/npy.hpp"
#include "data/rng.hpp"
#include "image/png.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

using namespace genhost::data;
using test::Bytes;

namespace {

Bytes mutate(const Bytes& good, Rng& rng) {
    Bytes b = good;
    switch (rng.below(3)) {
        case 0:
            for (uint64_t k = 0, flips = 1 + rng.below(4); k < flips; ++k) b[rng.below(b.size())] ^= uint8_t(1 + rng.below(255));
            break;
        case 1: b.resize(rng.below(b.size())); break;
        default:
            for (uint64_t k = 0, extra = 1 + rng.below(8); k < extra; ++k) b.push_back(uint8_t(rng.next()));
    }
    return b;
}

template <typename Read>
void survive(const Bytes& good, const std::string& name, Read read) {
    test::TempDir dir;
    Rng rng(derive_seed(7, good.size()));
    int errors = 0;
    for (int i = 0; i < 300; ++i) {
        const std::string path = dir.write(name, mutate(good, rng));
        try {
            read(path);
        } catch (const genhost::Error& e) {
            ++errors;
            REQUIRE(std::string(e.what()).find(name) != std::string::npos);  // names the file
        }
    }
    CHECK(errors > 150);
}

}  // namespace

TEST_CASE("mutated IDX, gzip IDX, .npy and PNG files fail cleanly", "[data][fuzz]") {
    Bytes pixels(4 * 6 * 6);
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = uint8_t(i * 7);
    const Bytes idx = test::idx(0x803, {4, 6, 6}, pixels);
    survive(idx, "m.idx", [](const std::string& p) { read_idx(p, 3); });
    survive(test::gzip(idx), "m.idx.gz", [](const std::string& p) { read_idx(p, 3); });
    const std::string npy_dir = std::string(GENHOST_TEST_DATA_DIR) + "/host/data/npy/";
    survive(test::read_bytes(npy_dir + "images_f4_nchw.npy"), "m.npy",
            [](const std::string& p) { read_npy_dataset(p, ""); });
    const std::string png_dir = std::string(GENHOST_TEST_DATA_DIR) + "/host/image/png/";
    for (const char* name : {"rgb8.png", "palette2.png", "gray16.png", "gray8_interlaced.png"}) {
        survive(test::read_bytes(png_dir + name), "m.png", [](const std::string& p) { genhost::image::read_png(p); });
    }
}
