#include "layers.hpp"

#include <cmath>
#include <stdexcept>

using namespace genhost::engine;

namespace stylegan {

Tensor lrelu(const Tensor& x) { return leaky_relu(x, kSlope) * std::sqrt(2.0f); }

Tensor modulated_conv2d(const Tensor& x, const Tensor& weight, const Tensor& styles, bool demodulate, float eps) {
    const int64_t n = x.size(0), cin = x.size(1), cout = weight.size(0), k = weight.size(2);
    if (styles.dim() != 2 || styles.size(0) != n || styles.size(1) != cin || weight.size(1) != cin)
        throw std::invalid_argument("modulated_conv2d: x " + shape_to_string(x.shape()) + ", weight " +
                                    shape_to_string(weight.shape()) + " and styles " + shape_to_string(styles.shape()) +
                                    " do not fit: styles must be [N, Cin]");
    Conv2dOptions same;
    same.padding = k / 2;
    Tensor y = conv2d(x * reshape(styles, {n, cin, 1, 1}), weight, Tensor(), same);  // conv(x, w')
    if (!demodulate) return y;
    Tensor w2 = sum(square(weight), {2, 3});                                           // [Cout, Cin]: sum_k w_ijk^2
    Tensor d = pow(matmul(square(styles), transpose(w2, 0, 1)) + eps, -0.5f);          // [N, Cout]
    return y * reshape(d, {n, cout, 1, 1});
}

EqualLinear::EqualLinear(Parameters& p, const std::string& name, int64_t in, int64_t out, Generator& init,
                         float bias_init, float lr_mul_)
    : gain(lr_mul_ / std::sqrt(static_cast<float>(in))), lr_mul(lr_mul_) {
    weight = p.add_parameter(name + ".weight", init.normal({out, in}) / lr_mul_);
    bias = p.add_parameter(name + ".bias", Tensor::full({out}, bias_init / lr_mul_));
}

Tensor EqualLinear::operator()(const Tensor& x) const { return linear(x, weight * gain, bias * lr_mul); }

EqualConv2d::EqualConv2d(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t kernel,
                         Generator& init)
    : gain(1.0f / std::sqrt(static_cast<float>(in * kernel * kernel))) {
    weight = p.add_parameter(name + ".weight", init.normal({out, in, kernel, kernel}));
    bias = p.add_parameter(name + ".bias", Tensor::zeros({out}));
}

Tensor EqualConv2d::operator()(const Tensor& x) const {
    Conv2dOptions same;
    same.padding = weight.size(2) / 2;
    return conv2d(x, weight * gain, bias, same);
}

}  // namespace stylegan
