// The gradient penalty of WGAN-GP (Gulrajani et al. 2017, eq. 3):
//
//   GP = E_x^[(||grad_x^ D(x^)||_2 - 1)^2],   x^ = eps x + (1 - eps) G(z),  eps ~ U[0, 1] per image
//
// The critic's loss adds lambda * GP. Its gradient in D's weights differentiates through a
// gradient: the engine's double backward (conv, linear, leaky_relu, layer/group norm; not
// batch norm, which is why a penalised critic has none).
#pragma once

#include <functional>

#include <genhost/engine/engine.hpp>

namespace gan {

using genhost::engine::Tensor;

// real, fake: [N, ...] (fake without a graph to G); eps: [N] in [0, 1]. `critic` maps
// images to scores [N] and is differentiated twice.
Tensor gradient_penalty(const std::function<Tensor(const Tensor&)>& critic, const Tensor& real, const Tensor& fake,
                        const Tensor& eps);

}  // namespace gan
