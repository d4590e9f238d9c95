#include "checkpoint/dtype.hpp"

#include <catch2/catch.hpp>

using namespace genhost::checkpoint;

TEST_CASE("dtype names and sizes follow the safetensors spec", "[checkpoint]") {
    CHECK(dtype_from_name("F32") == Dtype::F32);
    CHECK(dtype_from_name("BF16") == Dtype::BF16);
    CHECK(dtype_from_name("f32") == std::nullopt);  // names are case-sensitive
    CHECK(dtype_from_name("F128") == std::nullopt);
    CHECK(dtype_size(Dtype::BOOL) == 1);
    CHECK(dtype_size(Dtype::F16) == 2);
    CHECK(dtype_size(Dtype::U32) == 4);
    CHECK(dtype_size(Dtype::I64) == 8);
    for (int i = 0; i <= static_cast<int>(Dtype::U64); ++i) {
        const auto d = static_cast<Dtype>(i);
        CHECK(dtype_from_name(dtype_name(d)) == d);
    }
    CHECK(shape_string({}) == "[]");
    CHECK(shape_string({400, 784}) == "[400,784]");
    CHECK(dtype_of<float>() == Dtype::F32);
    CHECK(dtype_of<std::int64_t>() == Dtype::I64);
}
