// Building a safetensors file: add named tensors and metadata, then write it atomically.
//
// The output is deterministic: the same tensors and metadata give the same bytes. Layout
// follows the reference writer (huggingface/safetensors): tensors sorted by dtype, larger
// elements first (so every tensor is aligned to its element size), then by name; header
// {"__metadata__":{...sorted keys...},"<name>":{"dtype":..,"shape":..,"data_offsets":..},...}
// in compact JSON, padded with spaces to a multiple of 8 bytes.
//
// Ownership: add() copies the bytes; add_view() and add_f32_view() keep only the pointer,
// which must stay valid and unchanged until the last to_bytes()/write_atomic() returns.
// Thread rule: one thread builds a Writer; its const methods may then run concurrently.
#pragma once

#include "checkpoint/dtype.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace genhost::checkpoint {

class Writer {
public:
    // Each throws genhost::Error if the name is taken, "__metadata__", or not UTF-8, if a
    // dim is negative, or if `size_bytes` is not product(shape) * dtype_size(dtype).
    void add     (const std::string& name, Dtype dtype, const Shape& shape, const void* data, std::size_t size_bytes);
    void add_view(const std::string& name, Dtype dtype, const Shape& shape, const void* data, std::size_t size_bytes);
    void add_f32_view(const std::string& name, const Shape& shape, const float* data);  // product(shape) floats
    template <class T>
    void add(const std::string& name, const Shape& shape, const std::vector<T>& values) {
        add(name, dtype_of<T>(), shape, values.data(), values.size() * sizeof(T));
    }

    // Free-form strings saved in "__metadata__" (a later value for a key replaces the earlier).
    void set_metadata(const std::string& key, const std::string& value);

    std::size_t               size() const { return tensors_.size(); }
    std::vector<std::uint8_t> to_bytes() const;                        // the whole file
    void                      write_atomic(const std::string& path) const;  // see atomic_file.hpp

private:
    struct Entry {
        Dtype                     dtype;
        Shape                     shape;
        const void*               data;   // into `owned` or the caller's memory
        std::size_t               size_bytes;
        std::vector<std::uint8_t> owned;
    };
    void                             check_new(const std::string& name, Dtype, const Shape&, std::size_t) const;
    std::vector<const std::string*>  order() const;
    std::string                      header(const std::vector<const std::string*>& order) const;  // with length prefix

    std::map<std::string, Entry>       tensors_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace genhost::checkpoint
