// .npy reading against files written by NumPy (make_npy_fixtures.py).
#include "data/load.hpp"
#include "data/npy.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

using namespace genhost::data;
using Catch::Contains;

namespace {
const std::string dir = std::string(GENHOST_TEST_DATA_DIR) + "/host/data/npy/";
std::string error_of_dataset(const std::string& images, const std::string& labels = "") {
    return test::error_of([&] { read_npy_dataset(dir + images, labels.empty() ? "" : dir + labels); });
}
}  // namespace

TEST_CASE("npy uint8 [N,H,W] images load scaled by 1/255, with each label dtype", "[data][npy]") {
    for (const char* labels : {"labels_i8.npy", "labels_i4.npy", "labels_u1.npy"}) {
        const Dataset ds = read_npy_dataset(dir + "images_u8_nhw.npy", dir + labels);
        REQUIRE(ds.n == 4);
        REQUIRE(ds.channels == 1);
        REQUIRE(ds.height == 3);
        REQUIRE(ds.width == 5);
        for (size_t i = 0; i < ds.images.size(); ++i) CHECK(ds.images[i] == float(i * 3 % 256) / 255.f);
        CHECK(ds.labels == std::vector<int64_t>{0, 2, 1, 2});
        CHECK(ds.num_classes == 3);
    }
    const Dataset v2 = read_npy_dataset(dir + "images_u8_v2.npy", "");
    CHECK(v2.images == read_npy_dataset(dir + "images_u8_nhw.npy", "").images);
}

TEST_CASE("npy float32 [N,C,H,W] and float64 images load as they are", "[data][npy]") {
    const Dataset f4 = read_npy_dataset(dir + "images_f4_nchw.npy", "");
    REQUIRE(f4.n == 4);
    REQUIRE(f4.channels == 3);
    REQUIRE(f4.height == 2);
    REQUIRE(f4.width == 2);
    for (size_t i = 0; i < f4.images.size(); ++i) CHECK(f4.images[i] == float(double(i) / 47.0));
    const Dataset f8 = read_npy_dataset(dir + "images_f8_nhw.npy", "");
    for (size_t i = 0; i < f8.images.size(); ++i) CHECK(f8.images[i] == float(double(i) / 59.0));
    DataOptions opt = data_default_options();
    opt.kind = "npy";
    opt.images = dir + "images_f4_nchw.npy";
    CHECK(load_dataset(opt).n == 4);
}

TEST_CASE("npy fortran order, big-endian and unsupported dtypes are clear errors", "[data][npy]") {
    CHECK_THAT(error_of_dataset("fortran.npy"),
               Contains("fortran.npy: the array is stored in Fortran") && Contains("np.ascontiguousarray"));
    CHECK_THAT(error_of_dataset("big_endian.npy"),
               Contains("big_endian.npy: dtype '>f4' is big-endian") && Contains("astype('<f4')"));
    CHECK_THAT(error_of_dataset("int16.npy"), Contains("int16.npy: unsupported dtype '<i2'"));
    CHECK_THAT(error_of_dataset("structured.npy"), Contains("structured.npy: bad .npy header") &&
                                                       Contains("structured dtype"));
    CHECK_THAT(error_of_dataset("out_of_range.npy"),
               Contains("out_of_range.npy: value 2 at flat index") && Contains("outside [0, 1]"));
    CHECK_THAT(error_of_dataset("vector.npy"), Contains("vector.npy: images have shape (7,)") &&
                                                   Contains("[N, H, W] or [N, C, H, W]"));
    CHECK_THAT(error_of_dataset("images_u8_nhw.npy", "labels_short.npy"),
               Contains("labels_short.npy: labels have shape (3,)") && Contains("expected shape (4,)"));
    CHECK_THAT(error_of_dataset("images_u8_nhw.npy", "labels_negative.npy"),
               Contains("labels_negative.npy: label -1 at index 1"));
    CHECK_THAT(error_of_dataset("images_u8_nhw.npy", "labels_f4.npy"),
               Contains("labels_f4.npy: label dtype float32 is not supported"));
}

TEST_CASE("npy headers that are malformed, truncated or padded are rejected", "[data][npy]") {
    const std::string good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    const NpyHeader h = parse_npy_header(good, "x.npy");
    CHECK(h.dtype == "f4");
    CHECK(h.shape == std::vector<int64_t>{2, 3});
    CHECK(parse_npy_header("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", "x").shape ==
          std::vector<int64_t>{5});
    CHECK_THAT(test::error_of([] { parse_npy_header("{'descr': '<f4', 'shape': (2, 3)}", "h.npy"); }),
               Contains("h.npy: bad .npy header") && Contains("lacks 'fortran_order'"));
    CHECK_THAT(test::error_of([] { parse_npy_header("{'descr': '<f4', 'fortran_order': Maybe, 'shape': ()}", "h.npy"); }),
               Contains("expected True or False"));
    CHECK_THAT(test::error_of([] { parse_npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3)}", "h.npy"); }),
               Contains("expected a dimension"));
    CHECK_THAT(test::error_of([] { parse_npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", "h.npy"); }),
               Contains("unknown key 'x'"));

    test::TempDir tmp;
    const test::Bytes file = test::read_bytes(dir + "images_u8_nhw.npy");
    test::Bytes cut(file.begin(), file.end() - 1), longer = file, magic = file, npz = {'P', 'K', 3, 4};
    longer.push_back(0);
    magic[1] = 'X';
    CHECK_THAT(test::error_of([&] { read_npy(tmp.write("cut.npy", cut)); }),
               Contains("cut.npy: truncated") && Contains("60 data bytes"));
    CHECK_THAT(test::error_of([&] { read_npy(tmp.write("long.npy", longer)); }),
               Contains("long.npy: trailing bytes"));
    CHECK_THAT(test::error_of([&] { read_npy(tmp.write("magic.npy", magic)); }), Contains("magic.npy: not a .npy file"));
    CHECK_THAT(test::error_of([&] { read_npy(tmp.write("a.npz", npz)); }), Contains("a.npz: this is a zip archive"));
    test::Bytes header_cut(file.begin(), file.begin() + 40);
    CHECK_THAT(test::error_of([&] { read_npy(tmp.write("h.npy", header_cut)); }),
               Contains("h.npy: truncated") && Contains("header"));
}
