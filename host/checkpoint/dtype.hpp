// Element types of a safetensors file and their names on disk ("F32", "I64", ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::checkpoint {

// Declared in the order of the reference implementation (huggingface/safetensors), whose
// writer puts tensors with a later dtype first; we sort the same way, so each tensor's
// offset is a multiple of its element size and our files match the reference byte for byte.
enum class Dtype : std::uint8_t {
    BOOL,
    U8,
    I8,
    F8_E5M2,
    F8_E4M3,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64,
};

// A tensor's dimensions, outermost first; [] is a scalar.
using Shape = std::vector<std::int64_t>;

std::size_t                dtype_size(Dtype dtype);              // bytes per element
std::string_view           dtype_name(Dtype dtype);              // "F32"
std::optional<Dtype>       dtype_from_name(std::string_view name);  // nullopt if unknown
std::string                dtype_names();                        // "BOOL, U8, ..." for messages
std::string                shape_string(const Shape& shape);     // "[400,784]"

// The Dtype of a C++ element type: dtype_of<float>() == Dtype::F32.
template <class T> constexpr Dtype dtype_of();
template <> constexpr Dtype dtype_of<bool>()          { return Dtype::BOOL; }
template <> constexpr Dtype dtype_of<std::uint8_t>()  { return Dtype::U8; }
template <> constexpr Dtype dtype_of<std::int8_t>()   { return Dtype::I8; }
template <> constexpr Dtype dtype_of<std::int16_t>()  { return Dtype::I16; }
template <> constexpr Dtype dtype_of<std::uint16_t>() { return Dtype::U16; }
template <> constexpr Dtype dtype_of<std::int32_t>()  { return Dtype::I32; }
template <> constexpr Dtype dtype_of<std::uint32_t>() { return Dtype::U32; }
template <> constexpr Dtype dtype_of<float>()         { return Dtype::F32; }
template <> constexpr Dtype dtype_of<double>()        { return Dtype::F64; }
template <> constexpr Dtype dtype_of<std::int64_t>()  { return Dtype::I64; }
template <> constexpr Dtype dtype_of<std::uint64_t>() { return Dtype::U64; }

}  // namespace genhost::checkpoint
