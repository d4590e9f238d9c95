#include "checkpoint/writer.hpp"

#include "checkpoint/atomic_file.hpp"
#include "checkpoint/reader.hpp"
#include "util/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace genhost::checkpoint {

namespace {

const std::string kWhere = "checkpoint writer: ";

// A JSON string literal; throws if `text` is not UTF-8 (nlohmann refuses to dump it).
std::string json_string(const std::string& text, const std::string& what) {
    try {
        return nlohmann::json(text).dump();
    } catch (const nlohmann::json::type_error&) {
        throw Error(kWhere + what + " is not valid UTF-8; safetensors headers are UTF-8 JSON");
    }
}

}  // namespace

void Writer::check_new(const std::string& name, Dtype dtype, const Shape& shape, std::size_t size_bytes) const {
    const std::string quoted = "tensor '" + name + "'";
    json_string(name, quoted);
    if (name == "__metadata__")
        throw Error(kWhere + quoted + ": the name is reserved for the metadata; choose another");
    if (tensors_.count(name)) throw Error(kWhere + quoted + " was already added; names must be unique");
    std::uint64_t bytes = dtype_size(dtype);
    for (const auto dim : shape) {
        if (dim < 0) throw Error(kWhere + quoted + ": shape " + shape_string(shape) + " has a negative dim");
        if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(dim), &bytes))
            throw Error(kWhere + quoted + ": shape " + shape_string(shape) + " is too large");
    }
    if (bytes != size_bytes)
        throw Error(kWhere + quoted + ": shape " + shape_string(shape) + " of " + std::string(dtype_name(dtype)) +
                    " needs " + std::to_string(bytes) + " bytes, but " + std::to_string(size_bytes) +
                    " were given");
}

void Writer::add(const std::string& name, Dtype dtype, const Shape& shape, const void* data,
                 std::size_t size_bytes) {
    check_new(name, dtype, shape, size_bytes);
    Entry e{dtype, shape, nullptr, size_bytes, {}};
    e.owned.resize(size_bytes);
    if (size_bytes) std::memcpy(e.owned.data(), data, size_bytes);
    auto& slot = tensors_.emplace(name, std::move(e)).first->second;
    slot.data  = slot.owned.data();
}

void Writer::add_view(const std::string& name, Dtype dtype, const Shape& shape, const void* data,
                      std::size_t size_bytes) {
    check_new(name, dtype, shape, size_bytes);
    tensors_.emplace(name, Entry{dtype, shape, data, size_bytes, {}});
}

void Writer::add_f32_view(const std::string& name, const Shape& shape, const float* data) {
    std::size_t numel = 1;
    for (const auto dim : shape)
        if (dim < 0 || __builtin_mul_overflow(numel, static_cast<std::size_t>(dim), &numel))
            throw Error(kWhere + "tensor '" + name + "': shape " + shape_string(shape) + " is negative or too large");
    add_view(name, Dtype::F32, shape, data, numel * sizeof(float));
}

void Writer::set_metadata(const std::string& key, const std::string& value) {
    json_string(key, "metadata key '" + key + "'");
    json_string(value, "metadata value for '" + key + "'");
    metadata_[key] = value;
}

std::vector<const std::string*> Writer::order() const {
    std::vector<const std::string*> names;
    for (const auto& kv : tensors_) names.push_back(&kv.first);  // already sorted by name
    std::stable_sort(names.begin(), names.end(), [&](const std::string* a, const std::string* b) {
        return tensors_.at(*a).dtype > tensors_.at(*b).dtype;
    });
    return names;
}

std::string Writer::header(const std::vector<const std::string*>& names) const {
    std::string json = "{";
    if (!metadata_.empty()) {
        json += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [k, v] : metadata_) {
            json += (first ? "" : ",") + json_string(k, "metadata key") + ":" + json_string(v, "metadata value");
            first = false;
        }
        json += "}";
    }
    std::uint64_t offset = 0;
    for (const auto* name : names) {
        const Entry& e = tensors_.at(*name);
        if (json.size() > 1) json += ",";
        json += json_string(*name, "tensor name") + ":{\"dtype\":\"" + std::string(dtype_name(e.dtype)) +
                "\",\"shape\":" + shape_string(e.shape) + ",\"data_offsets\":[" + std::to_string(offset) + "," +
                std::to_string(offset + e.size_bytes) + "]}";
        offset += e.size_bytes;
    }
    json += "}";
    json.append((8 - json.size() % 8) % 8, ' ');  // the data then starts 8-byte aligned
    if (json.size() > Checkpoint::kMaxHeaderBytes)  // readers, ours included, would refuse the file
        throw Error(kWhere + "the header would be " + std::to_string(json.size()) + " bytes, over the limit of " +
                    std::to_string(Checkpoint::kMaxHeaderBytes) + " that readers accept; save fewer, larger tensors");

    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((json.size() >> (8 * i)) & 0xFF);
    return out + json;
}

std::vector<std::uint8_t> Writer::to_bytes() const {
    const auto        names = order();
    const std::string head  = header(names);
    std::vector<std::uint8_t> out(head.begin(), head.end());
    for (const auto* name : names) {
        const Entry& e = tensors_.at(*name);
        const auto*  p = static_cast<const std::uint8_t*>(e.data);
        out.insert(out.end(), p, p + e.size_bytes);
    }
    return out;
}

void Writer::write_atomic(const std::string& path) const {
    const auto        names = order();
    const std::string head  = header(names);
    std::vector<ByteSpan> pieces{{head.data(), head.size()}};
    for (const auto* name : names) {
        const Entry& e = tensors_.at(*name);
        pieces.push_back({e.data, e.size_bytes});
    }
    write_file_atomic(path, pieces);
}

}  // namespace genhost::checkpoint
