// The `images` kind: folders of PNGs written here with write_png.
#include "data/image_folder.hpp"
#include "data/load.hpp"
#include "image/png.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace genhost::data;
using Catch::Contains;

namespace {

// A w x h image whose every sample is `value`.
void png(const test::TempDir& dir, const std::string& name, uint8_t value, uint32_t w = 4,
         uint32_t h = 3, uint32_t channels = 1) {
    std::filesystem::create_directories(std::filesystem::path(dir.file(name)).parent_path());
    std::vector<uint8_t> px(w * h * channels, value);
    genhost::image::write_png(dir.file(name), px.data(), w, h, channels);
}

}  // namespace

TEST_CASE("a flat folder of PNGs loads unlabelled in name order", "[data][images]") {
    test::TempDir dir;
    png(dir, "b.png", 51);
    png(dir, "a.png", 255);
    png(dir, "c.PNG", 0);
    dir.write("notes.txt", {'h', 'i'});
    dir.write(".hidden.png", {1, 2, 3});
    const Dataset ds = load_image_folder(dir.str());
    REQUIRE(ds.n == 3);
    REQUIRE(ds.channels == 1);
    REQUIRE(ds.height == 3);
    REQUIRE(ds.width == 4);
    CHECK_FALSE(ds.labelled());
    CHECK(ds.image(0)[0] == 1.f);   // a.png
    CHECK(ds.image(1)[5] == 0.2f);  // b.png: 51/255
    CHECK(ds.image(2)[11] == 0.f);  // c.PNG
}

TEST_CASE("one sub-folder per class gives labels in sorted class order", "[data][images]") {
    test::TempDir dir;
    png(dir, "dog/1.png", 10, 2, 2, 3);
    png(dir, "cat/2.png", 20, 2, 2, 3);
    png(dir, "cat/1.png", 30, 2, 2, 3);
    DataOptions opt = data_default_options();
    opt.kind = "images";
    opt.path = dir.str();
    const Dataset ds = load_dataset(opt);
    REQUIRE(ds.n == 3);
    REQUIRE(ds.channels == 3);
    CHECK(ds.labels == std::vector<int64_t>{0, 0, 1});
    CHECK(ds.class_names == std::vector<std::string>{"cat", "dog"});
    CHECK(ds.image(0)[0] == 30.f / 255.f);  // cat/1.png
    CHECK_THAT(describe(ds), Contains("3 images 3x2x2, 2 classes: 0=cat 1=dog"));
}

TEST_CASE("image folders with odd contents give errors naming the file", "[data][images]") {
    {
        test::TempDir dir;
        png(dir, "a.png", 1, 4, 3);
        png(dir, "b.png", 1, 5, 3);
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }),
                   Contains("b.png: is 5x3 gray but the first image") && Contains("a.png, is 4x3 gray"));
    }
    {
        test::TempDir dir;
        png(dir, "a.png", 1, 4, 3, 1);
        png(dir, "b.png", 1, 4, 3, 3);
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }),
                   Contains("b.png: is 4x3 RGB") && Contains("4x3 gray"));
    }
    {
        test::TempDir dir;
        png(dir, "a.png", 1);
        dir.write("b.png", {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'});
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }),
                   Contains("b.png: PNG decode error"));
    }
    {
        test::TempDir dir;
        png(dir, "a.png", 1);
        dir.write("b.jpg", {0xff, 0xd8});
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }),
                   Contains("b.jpg: only PNG images are read"));
    }
    {
        test::TempDir dir;
        png(dir, "a.png", 1);
        png(dir, "cls/b.png", 1);
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }),
                   Contains("holds both PNG files (a.png) and sub-folders (cls)"));
    }
    {
        test::TempDir dir;
        png(dir, "cat/a.png", 1);
        std::filesystem::create_directories(dir.file("dog"));
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }),
                   Contains("the class folder 'dog' holds no PNG files"));
    }
    {
        test::TempDir dir;
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.str()); }), Contains("no PNG files found"));
        CHECK_THAT(test::error_of([&] { load_image_folder(dir.file("nope")); }),
                   Contains("data.path:") && Contains("nope is not a folder"));
    }
}
