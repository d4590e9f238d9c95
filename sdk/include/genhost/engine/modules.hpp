// Layers that own their weights: each registers its tensors in a Parameters registry
// under "<name>.weight", "<name>.bias", ... and initialises them like torch.nn does.
// Call them like functions: `auto h = fc1(x);`.
#pragma once

#include <string>

#include "genhost/engine/nn.hpp"
#include "genhost/engine/parameters.hpp"
#include "genhost/engine/random.hpp"

namespace genhost::engine {

struct Linear {
    Tensor weight, bias;  // [out, in], [out] (undefined without bias)
    Linear(Parameters& p, const std::string& name, int64_t in, int64_t out, Generator& gen,
           bool with_bias = true);
    Tensor operator()(const Tensor& x) const;
};

struct Conv2d {
    Tensor weight, bias;  // [out, in/groups, k, k], [out]
    Conv2dOptions options;
    Conv2d(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t kernel,
           Conv2dOptions options, Generator& gen, bool with_bias = true);
    Tensor operator()(const Tensor& x) const;
};

struct ConvTranspose2d {
    Tensor weight, bias;  // [in, out/groups, k, k], [out]
    ConvTranspose2dOptions options;
    ConvTranspose2d(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t kernel,
                    ConvTranspose2dOptions options, Generator& gen, bool with_bias = true);
    Tensor operator()(const Tensor& x) const;
};

struct BatchNorm2d {
    Tensor weight, bias, running_mean, running_var;
    float momentum = 0.1f, eps = 1e-5f;
    BatchNorm2d(Parameters& p, const std::string& name, int64_t channels);
    Tensor operator()(const Tensor& x, bool training) const;
};

struct GroupNorm {
    Tensor weight, bias;
    int64_t groups;
    float eps = 1e-5f;
    GroupNorm(Parameters& p, const std::string& name, int64_t groups, int64_t channels);
    Tensor operator()(const Tensor& x) const;
};

struct LayerNorm {
    Tensor weight, bias;
    float eps = 1e-5f;
    LayerNorm(Parameters& p, const std::string& name, int64_t features);
    Tensor operator()(const Tensor& x) const;
};

struct Embedding {
    Tensor weight;  // [num, dim], N(0, 1) like torch
    Embedding(Parameters& p, const std::string& name, int64_t num, int64_t dim, Generator& gen);
    Tensor operator()(const std::vector<int64_t>& indices, const Shape& index_shape) const;
};

}  // namespace genhost::engine
