// Losses. All return a scalar (shape []) averaged as documented, ready for backward().
#pragma once

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

Tensor mse_loss(const Tensor& prediction, const Tensor& target);    // mean (p - t)^2
Tensor l1_loss(const Tensor& prediction, const Tensor& target);     // mean |p - t|
// mean over elements of max(z,0) - z t + log(1 + e^-|z|): stable for any logit z.
Tensor bce_with_logits(const Tensor& logits, const Tensor& target);
// logits [N,C] or [N,C,d1,...] (per-pixel classes, e.g. 256-way for PixelCNN);
// target: class indices, N or N*d1*... of them (row-major). Mean over all positions.
Tensor cross_entropy(const Tensor& logits, const std::vector<int64_t>& target);
// Same, with the indices stored as integral floats in a tensor of shape [N, d1, ...].
Tensor cross_entropy(const Tensor& logits, const Tensor& target);
// KL(N(mu, e^logvar) || N(0, 1)), summed over latent dims and averaged over the batch
// (dim 0): -0.5 * sum(1 + logvar - mu^2 - e^logvar) / N.
Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar);

}  // namespace genhost::engine
