// The R1 penalty (Mescheder et al. 2018, eq. 9), as StyleGAN2 applies it:
//
//   R1 = gamma / 2 * E_x[ ||grad_x D(x)||^2 ]   on real images x only
//
// It keeps D flat on the data, so D cannot push G with gradients that grow without
// bound. Its gradient in D's weights differentiates through a gradient: the engine's
// double backward. Lazy regularisation (StyleGAN2, sec. 3.1): computed only every k-th
// discriminator step, and multiplied by k there, so that over k steps it weighs as much as
// when computed at every step, for 1/k of the cost.
#pragma once

#include <functional>

#include <genhost/engine/engine.hpp>

namespace stylegan {

using genhost::engine::Tensor;

// E_x ||grad_x D(x)||^2 for real images x [N, ...] (constants); `critic` maps images to
// scores [N] and is differentiated twice. Multiply by gamma / 2 (and by k when lazy).
Tensor r1_penalty(const std::function<Tensor(const Tensor&)>& critic, const Tensor& real);

}  // namespace stylegan
