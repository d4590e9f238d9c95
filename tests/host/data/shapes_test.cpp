// The synthetic `shapes` dataset: deterministic, labelled, anti-aliased, in range.
#include "data/load.hpp"
#include "data/shapes.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

using namespace genhost::data;
using Catch::Contains;

TEST_CASE("shapes are reproducible from the seed and independent of count", "[data][shapes]") {
    ShapesOptions opt;
    opt.count = 50;
    const Dataset a = make_shapes(opt);
    const Dataset b = make_shapes(opt);
    CHECK(a.images == b.images);
    opt.count = 20;
    const Dataset prefix = make_shapes(opt);
    CHECK(std::equal(prefix.images.begin(), prefix.images.end(), a.images.begin()));
    opt.seed = 1;
    CHECK(make_shapes(opt).images != prefix.images);
}

TEST_CASE("shapes have cycling labels, values in [0,1] and soft edges", "[data][shapes]") {
    DataOptions opt = data_default_options();
    opt.kind = "shapes";
    opt.shapes.count = 100;
    const Dataset ds = load_dataset(opt);
    REQUIRE(ds.n == 100);
    REQUIRE(ds.channels == 1);
    REQUIRE(ds.height == 28);
    REQUIRE(ds.num_classes == 5);
    CHECK(ds.class_names[4] == "ring");
    for (int64_t i = 0; i < ds.n; ++i) CHECK(ds.labels[size_t(i)] == i % 5);
    int64_t partial = 0;
    for (int64_t i = 0; i < ds.n; ++i) {
        double ink = 0;
        for (int64_t p = 0; p < ds.image_size(); ++p) {
            const float v = ds.image(i)[p];
            REQUIRE(v >= 0.f);
            REQUIRE(v <= 1.f);
            ink += v;
            partial += v > 0.05f && v < 0.6f;
        }
        // the smallest shape (a ring of radius 0.2*28) still covers a few dozen pixels
        CHECK(ink > 20.0);
        // no shape touches the border
        for (int64_t x = 0; x < 28; ++x) CHECK(ds.image(i)[x] == 0.f);
    }
    CHECK(partial > 100 * 10);  // anti-aliased edges, not a hard threshold
}

TEST_CASE("shapes in colour and bad shapes options", "[data][shapes]") {
    ShapesOptions opt;
    opt.count = 5;
    opt.size = 16;
    opt.channels = 3;
    const Dataset ds = make_shapes(opt);
    REQUIRE(ds.channels == 3);
    REQUIRE(ds.image_size() == 3 * 16 * 16);
    opt.channels = 2;
    CHECK_THAT(test::error_of([&] { make_shapes(opt); }), Contains("data.shapes.channels: 2"));
    opt.channels = 1;
    opt.size = 4;
    CHECK_THAT(test::error_of([&] { make_shapes(opt); }), Contains("data.shapes.size: 4 is out of range"));
    opt.size = 28;
    opt.count = 0;
    CHECK_THAT(test::error_of([&] { make_shapes(opt); }), Contains("data.shapes.count: 0"));
}
