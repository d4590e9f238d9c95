// Layers owning their weights, initialised like torch.nn's defaults.
#include <cmath>

#include "internal.hpp"
#include "genhost/engine/init.hpp"
#include "genhost/engine/modules.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {
// torch's default for Linear/Conv: kaiming_uniform(a=sqrt(5)) on the weight, which is
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the bias uses the same bound.
Tensor uniform_fan_in(Generator& gen, const Shape& shape, int64_t fan_in) {
    float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
    return gen.uniform(shape, -bound, bound);
}
}  // namespace

Linear::Linear(Parameters& p, const std::string& name, int64_t in, int64_t out, Generator& gen, bool with_bias) {
    weight = p.add_parameter(name + ".weight", uniform_fan_in(gen, {out, in}, in));
    if (with_bias) bias = p.add_parameter(name + ".bias", uniform_fan_in(gen, {out}, in));
}
Tensor Linear::operator()(const Tensor& x) const { return linear(x, weight, bias); }

Conv2d::Conv2d(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t kernel,
               Conv2dOptions opts, Generator& gen, bool with_bias) : options(opts) {
    int64_t fan_in = in / opts.groups * kernel * kernel;
    weight = p.add_parameter(name + ".weight", uniform_fan_in(gen, {out, in / opts.groups, kernel, kernel}, fan_in));
    if (with_bias) bias = p.add_parameter(name + ".bias", uniform_fan_in(gen, {out}, fan_in));
}
Tensor Conv2d::operator()(const Tensor& x) const { return conv2d(x, weight, bias, options); }

ConvTranspose2d::ConvTranspose2d(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t kernel,
                                 ConvTranspose2dOptions opts, Generator& gen, bool with_bias) : options(opts) {
    int64_t fan_in = out / opts.groups * kernel * kernel;  // torch: weight.size(1) * k * k
    weight = p.add_parameter(name + ".weight", uniform_fan_in(gen, {in, out / opts.groups, kernel, kernel}, fan_in));
    if (with_bias) bias = p.add_parameter(name + ".bias", uniform_fan_in(gen, {out}, fan_in));
}
Tensor ConvTranspose2d::operator()(const Tensor& x) const { return conv_transpose2d(x, weight, bias, options); }

BatchNorm2d::BatchNorm2d(Parameters& p, const std::string& name, int64_t channels) {
    weight = p.add_parameter(name + ".weight", Tensor::ones({channels}));
    bias = p.add_parameter(name + ".bias", Tensor::zeros({channels}));
    // Averaged across processes in data-parallel training (each sees other batches).
    running_mean = p.add_buffer(name + ".running_mean", Tensor::zeros({channels}), BufferReduce::mean);
    running_var = p.add_buffer(name + ".running_var", Tensor::ones({channels}), BufferReduce::mean);
}
Tensor BatchNorm2d::operator()(const Tensor& x, bool training) const {
    return batch_norm2d(x, running_mean, running_var, weight, bias, training, momentum, eps);
}

GroupNorm::GroupNorm(Parameters& p, const std::string& name, int64_t g, int64_t channels) : groups(g) {
    weight = p.add_parameter(name + ".weight", Tensor::ones({channels}));
    bias = p.add_parameter(name + ".bias", Tensor::zeros({channels}));
}
Tensor GroupNorm::operator()(const Tensor& x) const { return group_norm(x, groups, weight, bias, eps); }

LayerNorm::LayerNorm(Parameters& p, const std::string& name, int64_t features) {
    weight = p.add_parameter(name + ".weight", Tensor::ones({features}));
    bias = p.add_parameter(name + ".bias", Tensor::zeros({features}));
}
Tensor LayerNorm::operator()(const Tensor& x) const { return layer_norm(x, {weight.size(0)}, weight, bias, eps); }

Embedding::Embedding(Parameters& p, const std::string& name, int64_t num, int64_t dim, Generator& gen) {
    weight = p.add_parameter(name + ".weight", gen.normal({num, dim}));
}
Tensor Embedding::operator()(const std::vector<int64_t>& indices, const Shape& index_shape) const {
    return embedding(weight, indices, index_shape);
}

}  // namespace genhost::engine
