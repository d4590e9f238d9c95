#include "checkpoint/dtype.hpp"

#include <array>

namespace genhost::checkpoint {

namespace {

struct DtypeInfo {
    Dtype            dtype;
    std::string_view name;
    std::size_t      size;
};

constexpr std::array<DtypeInfo, 15> kDtypes{{
    {Dtype::BOOL, "BOOL", 1},       {Dtype::U8, "U8", 1},     {Dtype::I8, "I8", 1},
    {Dtype::F8_E5M2, "F8_E5M2", 1}, {Dtype::F8_E4M3, "F8_E4M3", 1},
    {Dtype::I16, "I16", 2},         {Dtype::U16, "U16", 2},   {Dtype::F16, "F16", 2},
    {Dtype::BF16, "BF16", 2},       {Dtype::I32, "I32", 4},   {Dtype::U32, "U32", 4},
    {Dtype::F32, "F32", 4},         {Dtype::F64, "F64", 8},   {Dtype::I64, "I64", 8},
    {Dtype::U64, "U64", 8},
}};

const DtypeInfo& info(Dtype dtype) { return kDtypes[static_cast<std::size_t>(dtype)]; }

}  // namespace

std::size_t dtype_size(Dtype dtype) { return info(dtype).size; }

std::string_view dtype_name(Dtype dtype) { return info(dtype).name; }

std::optional<Dtype> dtype_from_name(std::string_view name) {
    for (const auto& d : kDtypes)
        if (d.name == name) return d.dtype;
    return std::nullopt;
}

std::string dtype_names() {
    std::string out;
    for (const auto& d : kDtypes) {
        if (!out.empty()) out += ", ";
        out += d.name;
    }
    return out;
}

std::string shape_string(const Shape& shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(shape[i]);
    }
    return out + "]";
}

}  // namespace genhost::checkpoint
