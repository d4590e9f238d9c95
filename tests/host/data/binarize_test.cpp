// data.binarize: every pixel becomes 0 or 1 by x > 0.5, whatever the reader.
#include "data/load.hpp"

#include <catch2/catch.hpp>

using namespace genhost::data;

TEST_CASE("binarize thresholds every pixel at 0.5", "[data][binarize]") {
    DataOptions o = data_default_options();
    o.kind = "shapes";
    o.shapes.count = 20;
    const Dataset grey = load_dataset(o);
    o.binarize = true;
    const Dataset binary = load_dataset(o);
    REQUIRE(binary.images.size() == grey.images.size());
    bool any_grey = false;
    for (size_t i = 0; i < grey.images.size(); ++i) {
        CHECK(binary.images[i] == (grey.images[i] > 0.5f ? 1.0f : 0.0f));
        any_grey = any_grey || (grey.images[i] > 0.0f && grey.images[i] < 1.0f);
    }
    CHECK(any_grey);  // the test means something: shapes has anti-aliased edges
}
