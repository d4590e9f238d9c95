// IDX reading, raw and gzip, against files built here; malformed variants of each.
#include "data/idx.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace genhost::data;
using Catch::Contains;
using test::Bytes;

namespace {

// 3 images of 2x4 and their labels
Bytes pixels() {
    Bytes v(3 * 2 * 4);
    for (size_t i = 0; i < v.size(); ++i) v[i] = uint8_t(i * 11);
    return v;
}
const Bytes labels = {2, 0, 1};

}  // namespace

TEST_CASE("IDX images and labels load raw and gzipped", "[data][idx]") {
    test::TempDir dir;
    for (bool gz : {false, true}) {
        Bytes img = test::idx(0x803, {3, 2, 4}, pixels());
        Bytes lab = test::idx(0x801, {3}, labels);
        if (gz) {
            img = test::gzip(img);
            lab = test::gzip(lab);
        }
        const Dataset ds = read_idx_dataset(dir.write("img", img), dir.write("lab", lab));
        REQUIRE(ds.n == 3);
        REQUIRE(ds.channels == 1);
        REQUIRE(ds.height == 2);
        REQUIRE(ds.width == 4);
        REQUIRE(ds.num_classes == 3);
        CHECK(ds.labels == std::vector<int64_t>{2, 0, 1});
        for (size_t i = 0; i < ds.images.size(); ++i) CHECK(ds.images[i] == float(i * 11) / 255.f);
    }
}

TEST_CASE("IDX split into concatenated gzip members reads as one file", "[data][idx]") {
    test::TempDir dir;
    const Bytes whole = test::idx(0x803, {3, 2, 4}, pixels());
    Bytes two = test::gzip(Bytes(whole.begin(), whole.begin() + 10));
    const Bytes rest = test::gzip(Bytes(whole.begin() + 10, whole.end()));
    two.insert(two.end(), rest.begin(), rest.end());
    CHECK(read_idx(dir.write("two.gz", two), 3).values == pixels());
}

TEST_CASE("IDX with a wrong magic number is rejected", "[data][idx]") {
    test::TempDir dir;
    const auto labels_file = dir.write("lab", test::idx(0x801, {3}, labels));
    CHECK_THAT(test::error_of([&] { read_idx(labels_file, 3); }),
               Contains("lab: wrong magic number 0x00000801 at byte 0") &&
                   Contains("expected 0x00000803") && Contains("swapped"));
    const auto floats = dir.write("f", test::idx(0xD03, {3, 2, 4}, pixels()));
    CHECK_THAT(test::error_of([&] { read_idx(floats, 3); }),
               Contains("0x00000D03") && Contains("not unsigned bytes"));
    const auto png = dir.write("p", Bytes{0x89, 'P', 'N', 'G', 0, 0, 0, 0});
    CHECK_THAT(test::error_of([&] { read_idx(png, 3); }), Contains("not an IDX file"));
}

TEST_CASE("IDX truncated or with trailing bytes is rejected", "[data][idx]") {
    test::TempDir dir;
    Bytes good = test::idx(0x803, {3, 2, 4}, pixels());
    Bytes short_file(good.begin(), good.end() - 3);
    Bytes long_file = good;
    long_file.push_back(0);
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("short", short_file), 3); }),
               Contains("short: truncated") && Contains("3x2x4"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("long", long_file), 3); }),
               Contains("long: 1 trailing bytes") && Contains("byte 40"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("short.gz", test::gzip(short_file)), 3); }),
               Contains("short.gz: truncated") && Contains("ends after 21"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("long.gz", test::gzip(long_file)), 3); }),
               Contains("long.gz: trailing data"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("head", Bytes{0, 0, 8, 3, 0, 0}), 3); }),
               Contains("head: truncated") && Contains("dimensions"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("empty", Bytes{}), 3); }),
               Contains("empty: truncated") && Contains("magic"));
}

TEST_CASE("IDX gzip corruption and truncation are reported", "[data][idx]") {
    test::TempDir dir;
    Bytes big(64 * 28 * 28);
    for (size_t i = 0; i < big.size(); ++i) big[i] = uint8_t((i * 2654435761u) >> 24);
    const Bytes gz = test::gzip(test::idx(0x803, {64, 28, 28}, big));
    Bytes cut(gz.begin(), gz.begin() + gz.size() / 2);
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("cut.gz", cut), 3); }),
               Contains("cut.gz: the gzip stream ends early"));
    Bytes bad = gz;
    for (size_t i = 20; i < 60; ++i) bad[i] ^= 0x5A;
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("bad.gz", bad), 3); }),
               Contains("bad.gz: corrupt gzip data"));
    Bytes crc = gz;
    crc[crc.size() - 6] ^= 1;  // inside the CRC-32 of the trailer
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("crc.gz", crc), 3); }),
               Contains("crc.gz: corrupt gzip data") && Contains("incorrect data check"));
    Bytes garbage = gz;
    garbage.push_back('x');
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("garbage.gz", garbage), 3); }),
               Contains("garbage.gz: 1 byte(s) of garbage after the end of the gzip stream"));
}

TEST_CASE("IDX headers claiming huge or empty sizes fail before allocating", "[data][idx]") {
    test::TempDir dir;
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("huge", test::idx(0x803, {1, 70000, 2}, {})), 3); }),
               Contains("huge: dimension 1") && Contains("1..65536"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("many", test::idx(0x803, {4000000000u, 1000, 1000}, {})), 3); }),
               Contains("many:") && Contains("more than"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("lie.gz", test::gzip(test::idx(0x803, {60000, 28, 28}, {1, 2}))), 3); }),
               Contains("lie.gz: truncated") && Contains("ends after 2 of them"));
    CHECK_THAT(test::error_of([&] { read_idx(dir.write("zero", test::idx(0x803, {0, 28, 28}, {})), 3); }),
               Contains("zero: dimension 0") && Contains("at least 1"));
}

TEST_CASE("IDX image and label counts must match and labels be in range", "[data][idx]") {
    test::TempDir dir;
    const auto img = dir.write("img", test::idx(0x803, {3, 2, 4}, pixels()));
    const auto two = dir.write("two", test::idx(0x801, {2}, {0, 1}));
    CHECK_THAT(test::error_of([&] { read_idx_dataset(img, two); }),
               Contains("two: has 2 labels but") && Contains("img has 3 images"));
    const auto high = dir.write("high", test::idx(0x801, {3}, {0, 10, 1}));
    CHECK_THAT(test::error_of([&] { read_idx_dataset(img, high, 10); }),
               Contains("high: label 10 at index 1 (byte 9) is out of range; expected 0..9"));
    const Dataset unlabelled = read_idx_dataset(img, "");
    CHECK_FALSE(unlabelled.labelled());
    CHECK_THAT(test::error_of([&] { read_idx(dir.file("missing"), 3); }),
               Contains("missing: cannot open"));
}

TEST_CASE("a folder where a data file is expected is a clear error", "[data][idx]") {
    test::TempDir dir;
    CHECK_THAT(test::error_of([&] { read_idx(dir.str(), 3); }), Contains("is a folder; expected a file"));
}

TEST_CASE("a FIFO or a device where a data file is expected is refused instead of blocking", "[data][idx]") {
    test::TempDir dir;
    const std::string fifo = dir.file("train-images-idx3-ubyte");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(test::error_of([&] { read_idx(fifo, 3); }), Contains(fifo + ": is a FIFO (named pipe); expected a file here"));
    CHECK_THAT(test::error_of([&] { read_idx("/dev/zero", 3); }), Contains("/dev/zero: is a character device"));
}
