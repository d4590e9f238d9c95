// A fixed linear map and its adjoint as a pair of raw kernels. apply_linear_map records
// an op whose backward is the adjoint, and the adjoint's backward is the map again, so
// pooling and upsampling are differentiable to any order without more code.
#pragma once

#include <functional>
#include <memory>

#include "internal.hpp"

namespace genhost::engine {

struct LinearMap {
    const char* name;
    Shape in_shape, out_shape;
    std::function<void(const float* in, float* out)> forward;   // out starts zeroed
    std::function<void(const float* out, float* in)> adjoint;   // in starts zeroed; accumulate
};

Tensor apply_linear_map(std::shared_ptr<const LinearMap> map, const Tensor& x, bool adjoint = false);

}  // namespace genhost::engine
