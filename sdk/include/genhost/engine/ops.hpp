// Tensor operations: elementwise math with broadcasting, matmul, reductions, shape ops,
// activations and softmax. Every op records itself for autograd when an input requires
// grad and grad mode is on. Shape errors throw std::invalid_argument naming both shapes.
#pragma once

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

// ---- elementwise, broadcasting like NumPy / PyTorch ----------------------------------
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, float b);
Tensor operator-(const Tensor& a, float b);
Tensor operator*(const Tensor& a, float b);
Tensor operator/(const Tensor& a, float b);
Tensor operator+(float a, const Tensor& b);
Tensor operator-(float a, const Tensor& b);
Tensor operator*(float a, const Tensor& b);
Tensor operator/(float a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor neg(const Tensor& x);

Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor pow(const Tensor& x, float exponent);
Tensor square(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor clamp(const Tensor& x, float lo, float hi);

// ---- activations ------------------------------------------------------------------
Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, float negative_slope = 0.01f);
Tensor elu(const Tensor& x, float alpha = 1.0f);
Tensor silu(const Tensor& x);
Tensor gelu(const Tensor& x);      // exact (erf) form, as torch's default
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor softplus(const Tensor& x);  // log(1 + e^x), beta 1

Tensor softmax(const Tensor& x, int64_t dim);
Tensor log_softmax(const Tensor& x, int64_t dim);

// ---- matrix products --------------------------------------------------------------
// a [..., M, K] @ b [..., K, N]: b may be 2-D (shared) or have the same leading dims as a.
Tensor matmul(const Tensor& a, const Tensor& b);
// x [..., in] W [out, in] b [out] (b may be undefined): x W^T + b
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

// ---- reductions (dims may be negative; empty dims means all) ----------------------
Tensor sum(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false);
Tensor var(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false,
           bool unbiased = true);
Tensor sum_to(const Tensor& x, const Shape& shape);    // reverses broadcasting
Tensor expand(const Tensor& x, const Shape& shape);    // broadcasts (copies)

// ---- shape ----------------------------------------------------------------------
Tensor reshape(const Tensor& x, const Shape& shape);   // one -1 allowed; a view
Tensor flatten(const Tensor& x, int64_t start_dim = 1); // [N, ...] -> [N, rest]
Tensor permute(const Tensor& x, const std::vector<int64_t>& order);
Tensor transpose(const Tensor& x, int64_t d0, int64_t d1);
Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
Tensor concat(const std::vector<Tensor>& xs, int64_t dim);
std::vector<Tensor> split(const Tensor& x, int64_t dim, const std::vector<int64_t>& sizes);
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim);

}  // namespace genhost::engine
