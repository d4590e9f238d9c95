// What tests that drive one of our plugins through its C capabilities share: the build's
// plugin folder as a registry, and tensors that own their storage.
#pragma once

#include <cstdint>
#include <filesystem>
#include <type_traits>
#include <vector>

#include <genhost/genhost.h>

#include "loader/registry.hpp"

namespace genhost::testing {

// Owns a tensor's storage and shape and describes them as a DLTensor.
template <class T>
struct Buffer {
    std::vector<T> values;
    std::vector<int64_t> shape;
    DLTensor tensor{};

    explicit Buffer(std::vector<int64_t> s, std::vector<T> v = {}) : values(std::move(v)), shape(std::move(s)) {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        if (values.empty()) values.assign(static_cast<size_t>(n), T{});
        tensor.data = values.data();
        tensor.device = {kDLCPU, 0};
        tensor.ndim = static_cast<int32_t>(shape.size());
        tensor.dtype = std::is_same_v<T, float> ? DLDataType{kDLFloat, 32, 1} : DLDataType{kDLInt, 64, 1};
        tensor.shape = shape.data();
    }
    Buffer(const Buffer&) = delete;
    DLTensor* get() { return &tensor; }
};

// The plugins the build made, loaded once.
inline const loader::PluginRegistry& built_plugins() {
    static loader::PluginRegistry r = [] {
        loader::PluginRegistry reg;
        reg.scan({std::filesystem::path(GENHOST_BINARY_DIR) / "lib" / "genhost" / "plugins"});
        return reg;
    }();
    return r;
}

inline int64_t numel(const DLTensor* t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
    return n;
}

}  // namespace genhost::testing
