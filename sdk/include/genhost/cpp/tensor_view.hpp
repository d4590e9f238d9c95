// genhost/cpp/tensor_view.hpp: checked, non-owning views of DLPack tensors.
//
// Plugins receive borrowed DLTensors; these views check dtype, layout and shape once
// and then give plain pointers, with errors that print what was expected and what came:
//
//   genhost::TensorView x(batch->images);           // float32, compact, or throws
//   x.expect_shape({-1, 1, 28, 28}, "images");      // -1 matches any size
//   const float* pixels = x.data();
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <genhost/tensor.h>

namespace genhost {

inline std::string shape_string(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

template <class T>
class BasicTensorView {
public:
    // Throws std::invalid_argument unless `t` is a compact CPU tensor of element type T
    // (float, int64_t or uint64_t).
    explicit BasicTensorView(const DLTensor* t, const char* what = "tensor") : tensor_(t) {
        if (t == nullptr) throw std::invalid_argument(std::string(what) + ": tensor is missing (NULL)");
        using E = std::remove_const_t<T>;
        constexpr uint8_t code = std::is_floating_point_v<E> ? kDLFloat : std::is_unsigned_v<E> ? kDLUInt : kDLInt;
        constexpr uint8_t bits = sizeof(T) * 8;
        if (!genhost_tensor_is_compact(t, code, bits))
            throw std::invalid_argument(std::string(what) + ": expected a compact CPU tensor of " +
                                        (code == kDLFloat ? "float" : code == kDLUInt ? "uint" : "int") + std::to_string(bits) +
                                        ", got dtype code " + std::to_string(t->dtype.code) + " bits " +
                                        std::to_string(t->dtype.bits) + " on device " +
                                        std::to_string(t->device.device_type));
        shape_.assign(t->shape, t->shape + t->ndim);
    }

    const std::vector<int64_t>& shape() const { return shape_; }
    int64_t dim(size_t i) const { return shape_.at(i); }
    size_t ndim() const { return shape_.size(); }
    int64_t numel() const { return genhost_tensor_numel(tensor_); }
    T* data() const { return static_cast<T*>(genhost_tensor_data(tensor_)); }
    const DLTensor* raw() const { return tensor_; }

    // Throws unless the shape matches `expected`, where -1 matches any size.
    const BasicTensorView& expect_shape(const std::vector<int64_t>& expected, const char* what) const {
        bool ok = expected.size() == shape_.size();
        for (size_t i = 0; ok && i < expected.size(); ++i)
            ok = expected[i] < 0 || expected[i] == shape_[i];
        if (!ok)
            throw std::invalid_argument(std::string(what) + ": expected shape " + shape_string(expected) +
                                        " (-1 = any), got " + shape_string(shape_));
        return *this;
    }

private:
    const DLTensor* tensor_;
    std::vector<int64_t> shape_;
};

using TensorView = BasicTensorView<const float>;         // an input
using MutableTensorView = BasicTensorView<float>;        // an output the callee fills
using LabelView = BasicTensorView<const int64_t>;
using MutableCodeView = BasicTensorView<int64_t>;  // int64 an output the callee fills (code maps)
using SeedView = BasicTensorView<const uint64_t>;    // per-sample seeds (ABI 1.1)

// A DLTensor describing memory someone else owns; `shape` must outlive the result.
inline DLTensor make_dltensor(float* data, std::vector<int64_t>& shape) {
    DLTensor t{};
    t.data = data;
    t.device = DLDevice{kDLCPU, 0};
    t.ndim = static_cast<int>(shape.size());
    t.dtype = DLDataType{kDLFloat, 32, 1};
    t.shape = shape.data();
    t.strides = nullptr;
    t.byte_offset = 0;
    return t;
}

inline DLTensor make_dltensor(int64_t* data, std::vector<int64_t>& shape) {
    DLTensor t = make_dltensor(static_cast<float*>(nullptr), shape);
    t.data = data;
    t.dtype = DLDataType{kDLInt, 64, 1};
    return t;
}

inline DLTensor make_dltensor(uint64_t* data, std::vector<int64_t>& shape) {
    DLTensor t = make_dltensor(static_cast<float*>(nullptr), shape);
    t.data = data;
    t.dtype = DLDataType{kDLUInt, 64, 1};
    return t;
}

}  // namespace genhost
