// Reading a safetensors file, strictly: anything that is not exactly the format is a
// genhost::Error naming the file, the tensor and what was expected versus found.
//
// Ownership: a Checkpoint owns one buffer holding the whole data section; every Tensor
// views into it and stays valid as long as the Checkpoint (moving it keeps them valid).
// Thread rule: a const Checkpoint may be read from any number of threads.
#pragma once

#include "checkpoint/dtype.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace genhost::checkpoint {

// One tensor of a loaded checkpoint: a view into the checkpoint's buffer.
struct Tensor {
    std::string      name;
    Dtype            dtype = Dtype::U8;
    Shape            shape;
    const std::byte* data       = nullptr;  // little-endian elements, row-major
    std::size_t      size_bytes = 0;        // product(shape) * dtype_size(dtype)

    std::size_t numel() const { return size_bytes / dtype_size(dtype); }
};

class Checkpoint {
public:
    // Largest header accepted, as in the reference implementation: bounds the memory a
    // hostile file can make us allocate before the data is checked against the file size.
    static constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

    // Reads and validates the whole file; the data is read once, straight into the buffer.
    static Checkpoint read(const std::string& path);
    // The same checks on bytes already in memory (copied once); `source` names them in errors.
    static Checkpoint parse(const void* bytes, std::size_t size, const std::string& source);

    const std::string&                        source() const { return source_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    std::vector<std::string>                  names() const;  // sorted
    bool                                      contains(const std::string& name) const;

    // Throws if there is no such tensor (and lists the names that are there).
    const Tensor& tensor(const std::string& name) const;
    // tensor(name), checked against what the model expects:
    // "checkpoint runs/x/checkpoint.safetensors: tensor 'encoder.fc1.weight' has shape
    //  [400,784], the model expects [200,784]".
    const Tensor& expect(const std::string& name, Dtype dtype, const Shape& shape) const;
    // expect() for element type T, as a typed pointer into the buffer (numel() elements).
    template <class T>
    const T* data(const std::string& name, const Shape& shape) const {
        return static_cast<const T*>(typed_data(name, dtype_of<T>(), shape));
    }
    // expect(), then copies the bytes to `dst` (which holds `dst_bytes`); works for any
    // offset, where data<T>() needs the tensor aligned to its element size.
    void copy_to(const std::string& name, Dtype dtype, const Shape& shape, void* dst, std::size_t dst_bytes) const;

private:
    Checkpoint() = default;
    const void* typed_data(const std::string& name, Dtype dtype, const Shape& shape) const;

    std::string                        source_;   // "checkpoint <path>", prefixes every message
    std::unique_ptr<std::byte[]>       buffer_;   // the data section
    std::map<std::string, Tensor>      tensors_;
    std::map<std::string, std::string> metadata_;

    friend struct CheckpointBuilder;
};

}  // namespace genhost::checkpoint
