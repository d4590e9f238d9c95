// The strict reader: every malformed file in bad/ gives a clear message; files written by
// the reference layout (fixtures/, made by make_reference_files.py) read back exactly.
#include "checkpoint/reader.hpp"

#include "test_support.hpp"

#include <cstring>
#include <filesystem>
#include <set>

#include <sys/stat.h>

using namespace genhost::checkpoint;
using namespace genhost::checkpoint::test;
using Catch::Matchers::Contains;

namespace {

struct BadCase {
    const char*              file;
    std::vector<std::string> message;  // substrings the error must contain
};

// One entry per file written by make_bad_files.py.
const std::vector<BadCase> kBadCases = {
    {"too_short", {"the file is 5 bytes, shorter than the 8-byte header length"}},
    {"header_beyond_file", {"header length in the first 8 bytes is 1000 bytes, but only 2 bytes follow"}},
    {"header_too_large", {"is 200000000 bytes, over the limit of 100000000"}},
    {"empty_header", {"must be a JSON object starting with '{', found an empty header"}},
    {"not_json", {"the header is not valid UTF-8 JSON near byte", "parse error"}},
    {"invalid_utf8", {"the header is not valid UTF-8 JSON near byte 11", "ill-formed UTF-8 byte"}},
    {"utf8_bom", {"must be a JSON object starting with '{', found byte \\xef"}},
    {"header_is_array", {"must be a JSON object starting with '{', found '['"}},
    {"garbage_after_json", {"the header is not valid UTF-8 JSON near byte 11", "expected end of input"}},
    {"duplicate_tensor", {"tensor 'w' appears twice in the header; names must be unique"}},
    {"duplicate_field", {"tensor 'w': field 'dtype' appears twice"}},
    {"duplicate_metadata_key", {"'__metadata__' key 'epoch' appears twice"}},
    {"entry_not_object", {"tensor 'w': expected an object {\"dtype\"", "found an array"}},
    {"missing_field", {"tensor 'w': missing field 'data_offsets'"}},
    {"unknown_field", {"tensor 'w': unknown field 'offsets'; an entry has exactly the fields"}},
    {"unknown_dtype", {"tensor 'w': unknown dtype 'F128'; expected one of BOOL, U8"}},
    {"dtype_not_string", {"tensor 'w': dtype must be a string such as \"F32\", found 32"}},
    {"negative_dim", {"tensor 'w': shape[0] must be a non-negative integer, found -2"}},
    {"fractional_dim", {"tensor 'w': shape[0] must be a non-negative integer, found 2.5"}},
    {"string_dim", {"tensor 'w': shape[0] must be a non-negative integer, found the string '2'"}},
    {"dim_too_large", {"found 18446744073709551615 (integers only, at most 9223372036854775807)"}},
    {"shape_overflow", {"tensor 'w': shape [4294967296,4294967296,16] of F32 needs more bytes than fit in 64 bits"}},
    {"size_mismatch", {"tensor 'w': shape [3] of F32 needs 12 bytes, but data_offsets [0,8] hold 8"}},
    {"offsets_one_number", {"tensor 'w': data_offsets must be [begin, end], found only one number"}},
    {"offsets_three_numbers", {"tensor 'w': data_offsets must be [begin, end], found more than two elements"}},
    {"offsets_reversed", {"tensor 'w': data_offsets [8,0] end before they begin"}},
    {"offsets_huge", {"tensor 'w': data_offsets end must be a non-negative integer, found 1e30"}},
    {"offsets_out_of_range", {"tensor 'w': data_offsets [0,8] go past the end of the data, which holds 4 bytes"}},
    {"claims_exabyte", {"tensor 'w': data_offsets [0,1152921504606846976] go past the end of the data, which holds 0 bytes"}},
    {"offsets_overlap", {"tensor 'b': data_offsets [4,12] overlap tensor 'a' at [0,8]"}},
    {"offsets_hole", {"tensor 'b': data_offsets [12,20] leave a hole: bytes [8,12) belong to no tensor"}},
    {"trailing_bytes", {"4 trailing bytes after the last tensor 'w'", "the data holds 12 bytes"}},
    {"metadata_not_object", {"'__metadata__' must be an object of string keys", "found the string 'epoch 3'"}},
    {"metadata_value_not_string", {"'__metadata__' key 'epoch': values must be strings", "found 3"}},
};

}  // namespace

TEST_CASE("every malformed file in bad/ is refused with a message naming file, place and problem", "[checkpoint]") {
    std::set<std::string> listed;
    for (const auto& c : kBadCases) {
        const std::string path = data_path("bad/") + c.file + ".safetensors";
        listed.insert(std::string(c.file) + ".safetensors");
        INFO("file " << path);
        const std::string from_file = error_of([&] { Checkpoint::read(path); });
        CHECK_THAT(from_file, Contains("checkpoint " + path + ": "));
        for (const auto& part : c.message) CHECK_THAT(from_file, Contains(part));

        // The same checks apply to bytes in memory.
        const auto        bytes       = read_bytes(path);
        const std::string from_memory = error_of([&] { Checkpoint::parse(bytes.data(), bytes.size(), c.file); });
        CHECK_THAT(from_memory, Contains(std::string("checkpoint ") + c.file + ": "));
        for (const auto& part : c.message) CHECK_THAT(from_memory, Contains(part));
    }
    // A file added to make_bad_files.py must be listed above.
    for (const auto& e : std::filesystem::directory_iterator(data_path("bad")))
        if (e.path().extension() == ".safetensors") CHECK(listed.count(e.path().filename().string()) == 1);
}

TEST_CASE("a missing file or a folder is an error naming the path", "[checkpoint]") {
    CHECK_THAT(error_of([] { Checkpoint::read("/nonexistent/x.safetensors"); }),
               Contains("checkpoint /nonexistent/x.safetensors: cannot open: No such file or directory"));
    CHECK_THAT(error_of([] { Checkpoint::read(data_path("bad")); }), Contains(": is a folder; expected a .safetensors file"));
}

TEST_CASE("a file in the reference writer's layout reads back exactly", "[checkpoint]") {
    for (const char* name : {"reference.safetensors", "reference_unordered.safetensors"}) {
        INFO(name);
        const auto c = Checkpoint::read(data_path("fixtures/") + name);
        CHECK(c.names() ==
              std::vector<std::string>{"decoder.bias", "empty", "encoder.weight", "half", "labels", "mask", "pixels", "step"});
        CHECK(c.metadata() == std::map<std::string, std::string>{{"format", "pt"}});

        std::vector<float> w(6);
        c.copy_to("encoder.weight", Dtype::F32, {2, 3}, w.data(), w.size() * sizeof(float));
        CHECK(w == std::vector<float>{0.0f, 1.5f, -2.0f, 3.25f, std::ldexp(1.0f, -100), -0.0f});
        CHECK(std::signbit(w[5]));

        const double* bias = c.data<double>("decoder.bias", {3});
        CHECK(bias[0] == 0.5);
        CHECK(bias[1] == -1.25);
        CHECK(bias[2] == 1e-300);

        std::int64_t step = 0;
        c.copy_to("step", Dtype::I64, {}, &step, sizeof step);
        CHECK(step == 123456789012);

        const std::int32_t* labels = c.data<std::int32_t>("labels", {4});
        CHECK(std::vector<std::int32_t>(labels, labels + 4) == std::vector<std::int32_t>{-1, 0, 7, 2147483647});

        const auto& mask = c.expect("mask", Dtype::BOOL, {2, 2});
        CHECK(std::memcmp(mask.data, "\1\0\0\1", 4) == 0);
        const std::uint8_t* pixels = c.data<std::uint8_t>("pixels", {5});
        CHECK(std::vector<int>(pixels, pixels + 5) == std::vector<int>{0, 1, 128, 254, 255});
        const auto& half = c.expect("half", Dtype::F16, {2});
        CHECK(std::memcmp(half.data, "\x00\x3c\x00\xc0", 4) == 0);  // 1.0, -2.0
        CHECK(c.expect("empty", Dtype::F32, {0, 4}).size_bytes == 0);
    }
}

TEST_CASE("typed access checks dtype, shape, name and alignment", "[checkpoint]") {
    const std::string path = data_path("fixtures/reference.safetensors");
    const auto        c    = Checkpoint::read(path);
    CHECK(error_of([&] { c.expect("encoder.weight", Dtype::F32, {3, 2}); }) ==
          "checkpoint " + path +
              ": tensor 'encoder.weight' has shape [2,3], the model expects [3,2]; was the checkpoint saved "
              "with a different model configuration?");
    CHECK(error_of([&] { c.data<double>("encoder.weight", {2, 3}); }) ==
          "checkpoint " + path + ": tensor 'encoder.weight' has dtype F32, the model expects F64");
    CHECK_THAT(error_of([&] { c.tensor("decoder.weight"); }),
               Contains("has no tensor 'decoder.weight'; it holds 'decoder.bias', 'empty', 'encoder.weight'"));
    float small[5];
    CHECK_THAT(error_of([&] { c.copy_to("encoder.weight", Dtype::F32, {2, 3}, small, sizeof small); }),
               Contains("holds 24 bytes, the destination 20"));

    // Another writer's layout puts the I64 'step' at data byte 77: it cannot be viewed in place.
    const auto u = Checkpoint::read(data_path("fixtures/reference_unordered.safetensors"));
    CHECK_THAT(error_of([&] { u.data<std::int64_t>("step", {}); }),
               Contains("tensor 'step' starts at data byte 77, not a multiple of its 8-byte element size"));
}

TEST_CASE("every truncation and every single-byte corruption of a file is refused cleanly or read", "[checkpoint]") {
    const auto bytes = read_bytes(data_path("fixtures/reference.safetensors"));
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        INFO("first " << n << " bytes");
        CHECK_THAT(error_of([&] { Checkpoint::parse(bytes.data(), n, "cut"); }), Contains("checkpoint cut: "));
    }
    // A flipped byte either still makes a valid file (a changed value) or a genhost::Error.
    std::size_t refused = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (const std::uint8_t flip : {0x01, 0x80, 0xff}) {
            auto copy = bytes;
            copy[i] ^= flip;
            try {
                Checkpoint::parse(copy.data(), copy.size(), "flipped");
            } catch (const genhost::Error&) {
                ++refused;
            }
        }
    }
    CHECK(refused > 0);
}

TEST_CASE("a FIFO or a device given as a checkpoint is refused instead of blocking", "[checkpoint]") {
    TempDir dir;
    const std::string fifo = dir.file("ckpt.safetensors");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(error_of([&] { Checkpoint::read(fifo); }) ==
          "checkpoint " + fifo + ": is a FIFO (named pipe); expected a .safetensors file");
    CHECK_THAT(error_of([] { Checkpoint::read("/dev/zero"); }), Contains(": is a character device"));
}
