// The writer: round trips, determinism, byte-identity with the reference layout, and the
// committed fixtures/ours.safetensors that read_with_torch.py opens with PyTorch.
#include "checkpoint/safetensors.hpp"

#include "test_support.hpp"

#include <cstring>

using namespace genhost::checkpoint;
using namespace genhost::checkpoint::test;
using Catch::Matchers::Contains;

namespace {

std::vector<std::uint8_t> raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    return {b, b + n};
}

std::vector<std::uint8_t> bytes_of(const Tensor& t) { return raw(t.data, t.size_bytes); }

// The content of fixtures/ours.safetensors; read_with_torch.py checks the same values.
Writer ours(const std::vector<float>& weights) {
    Writer w;
    w.add_f32_view("weights", {2, 3}, weights.data());
    w.add<double>("bias", {3}, {0.5, -1.0, 1e100});
    w.add<std::int64_t>("bn.num_batches_tracked", {}, {-9000000000});
    w.add<std::int32_t>("emb.\xce\xb2", {2}, {-7, 65536});  // "emb.β": names are UTF-8
    w.add<std::uint8_t>("quote\"and\\back", {3}, {0, 127, 255});
    w.add<std::int8_t>("i8", {2}, {-128, 127});
    w.add<std::int16_t>("i16", {1, 2}, {-32768, 12345});
    const std::uint8_t flags[3] = {1, 0, 1};
    w.add("flags", Dtype::BOOL, {3}, flags, 3);
    const std::uint8_t bf16[4] = {0x80, 0x3f, 0x00, 0xbf};  // 1.0, -0.5
    w.add("h", Dtype::BF16, {2}, bf16, 4);
    w.add("zero", Dtype::F32, {0}, nullptr, 0);
    w.set_metadata("model", "vae");
    w.set_metadata("genhost.version", "1.0.0");
    w.set_metadata("epoch", "3");
    w.set_metadata("note", "tab\there \"quoted\"");
    return w;
}

}  // namespace

TEST_CASE("tensors of every dtype and the metadata survive a round trip", "[checkpoint]") {
    Writer                     w;
    const std::vector<float>   f32{1.5f, -2.25f, 0.0f, 3e38f, -1e-38f, 7.0f};
    const std::vector<double>  f64{3.141592653589793, -1e-300};
    const std::vector<std::uint64_t> u64{0, 18446744073709551615ull};
    w.add<float>("a.f32", {2, 3}, f32);
    w.add<double>("b.f64", {2}, f64);
    w.add<std::int64_t>("c.i64", {1, 1, 2}, {-1, 1});
    w.add<std::int32_t>("d.i32", {3}, {-2147483647 - 1, 0, 2147483647});
    w.add<std::uint8_t>("e.u8", {4}, {0, 1, 254, 255});
    w.add<std::uint16_t>("f.u16", {2}, {1, 65535});
    w.add<std::uint32_t>("g.u32", {1}, {4000000000u});
    w.add<std::uint64_t>("h.u64", {2}, u64);
    const std::uint8_t f16[2] = {0x00, 0x3c}, e4m3[3] = {1, 2, 3};
    w.add("i.f16", Dtype::F16, {1}, f16, 2);
    w.add("j.f8", Dtype::F8_E4M3, {3}, e4m3, 3);
    w.add("k.scalar", Dtype::F32, {}, f32.data(), 4);
    w.add("l.empty", Dtype::I64, {5, 0}, nullptr, 0);
    w.set_metadata("format", "pt");
    w.set_metadata("k\xc3\xa9y", "va\"lue\n");  // UTF-8 and characters JSON escapes

    const auto bytes = w.to_bytes();
    std::uint64_t n  = 0;
    std::memcpy(&n, bytes.data(), 8);
    CHECK(n % 8 == 0);  // padded: the data starts 8-byte aligned, as the reference writer does

    TempDir dir;
    w.write_atomic(dir.file("x.safetensors"));
    CHECK(read_bytes(dir.file("x.safetensors")) == bytes);
    CHECK(dir.entries() == std::vector<std::string>{"x.safetensors"});  // no temporary left

    for (const auto& c : {Checkpoint::parse(bytes.data(), bytes.size(), "mem"), Checkpoint::read(dir.file("x.safetensors"))}) {
        CHECK(c.names().size() == 12);
        CHECK(c.metadata() == std::map<std::string, std::string>{{"format", "pt"}, {"k\xc3\xa9y", "va\"lue\n"}});
        CHECK(std::vector<float>(c.data<float>("a.f32", {2, 3}), c.data<float>("a.f32", {2, 3}) + 6) == f32);
        CHECK(bytes_of(c.expect("b.f64", Dtype::F64, {2})) == raw(f64.data(), 16));
        CHECK(c.data<std::int64_t>("c.i64", {1, 1, 2})[0] == -1);
        CHECK(c.data<std::int32_t>("d.i32", {3})[0] == -2147483647 - 1);
        CHECK(c.data<std::uint8_t>("e.u8", {4})[3] == 255);
        CHECK(c.data<std::uint16_t>("f.u16", {2})[1] == 65535);
        CHECK(c.data<std::uint32_t>("g.u32", {1})[0] == 4000000000u);
        CHECK(c.data<std::uint64_t>("h.u64", {2})[1] == 18446744073709551615ull);
        CHECK(bytes_of(c.expect("i.f16", Dtype::F16, {1})) == raw(f16, 2));
        CHECK(bytes_of(c.expect("j.f8", Dtype::F8_E4M3, {3})) == raw(e4m3, 3));
        CHECK(*c.data<float>("k.scalar", {}) == 1.5f);
        CHECK(c.expect("l.empty", Dtype::I64, {5, 0}).numel() == 0);
    }
}

TEST_CASE("the same content gives the same bytes, whatever the order it was added in", "[checkpoint]") {
    const std::vector<float> x{1, 2, 3, 4}, y{5, 6};
    Writer                   a, b;
    a.add<float>("x", {4}, x);
    a.add<float>("y", {2}, y);
    a.add<std::uint8_t>("z", {1}, {9});
    a.set_metadata("b", "2");
    a.set_metadata("a", "1");
    b.add<std::uint8_t>("z", {1}, {9});
    b.set_metadata("a", "1");
    b.add_f32_view("y", {2}, y.data());
    b.set_metadata("b", "2");
    b.add<float>("x", {4}, x);
    CHECK(a.to_bytes() == b.to_bytes());
    TempDir dir;
    a.write_atomic(dir.file("1.safetensors"));
    b.write_atomic(dir.file("2.safetensors"));
    CHECK(read_bytes(dir.file("1.safetensors")) == read_bytes(dir.file("2.safetensors")));
}

TEST_CASE("rewriting a file in the reference layout gives identical bytes", "[checkpoint]") {
    const std::string path  = data_path("fixtures/reference.safetensors");
    const auto        c     = Checkpoint::read(path);
    Writer            w;
    for (const auto& name : c.names()) {
        const auto& t = c.tensor(name);
        w.add_view(name, t.dtype, t.shape, t.data, t.size_bytes);
    }
    for (const auto& [k, v] : c.metadata()) w.set_metadata(k, v);
    CHECK(w.to_bytes() == read_bytes(path));
}

TEST_CASE("our writer's output matches the committed fixtures/ours.safetensors that torch reads", "[checkpoint]") {
    const std::vector<float> weights{-0.5f, -0.25f, 0.0f, 0.25f, 0.5f, 0.75f};
    const auto               bytes = ours(weights).to_bytes();
    // Kept in the build tree so that a deliberate format change can be copied over the fixture.
    write_bytes(std::string(GENHOST_BINARY_DIR) + "/tests/checkpoint_ours.safetensors", bytes);
    CHECK(bytes == read_bytes(data_path("fixtures/ours.safetensors")));
}

TEST_CASE("the writer refuses names, shapes and sizes it could not write correctly", "[checkpoint]") {
    Writer      w;
    const float v[2] = {1, 2};
    w.add("w", Dtype::F32, {2}, v, 8);
    CHECK(error_of([&] { w.add("w", Dtype::F32, {2}, v, 8); }) ==
          "checkpoint writer: tensor 'w' was already added; names must be unique");
    CHECK_THAT(error_of([&] { w.add("__metadata__", Dtype::F32, {2}, v, 8); }), Contains("the name is reserved"));
    CHECK(error_of([&] { w.add("v", Dtype::F32, {3}, v, 8); }) ==
          "checkpoint writer: tensor 'v': shape [3] of F32 needs 12 bytes, but 8 were given");
    CHECK_THAT(error_of([&] { w.add("v", Dtype::F32, {-2}, v, 8); }), Contains("has a negative dim"));
    CHECK_THAT(error_of([&] { w.add_f32_view("v", {1ll << 62, 8}, v); }), Contains("is negative or too large"));
    CHECK_THAT(error_of([&] { w.add("bad\xff", Dtype::F32, {2}, v, 8); }), Contains("is not valid UTF-8"));
    CHECK_THAT(error_of([&] { w.set_metadata("k", "\xc3"); }), Contains("metadata value for 'k' is not valid UTF-8"));
    CHECK(w.size() == 1);
}
