// Sinusoidal timestep embedding (Vaswani et al. 2017, used by Ho et al. 2020), exactly as
// diffusers' get_timestep_embedding with UNet2DModel's defaults (flip_sin_to_cos=True,
// freq_shift=0):
//   freq_i = exp(-ln(10000) * i / half),  i in [0, half),  half = dim / 2
//   emb(t) = [cos(t freq_0), ..., cos(t freq_{half-1}), sin(t freq_0), ..., sin(t freq_{half-1})]
// (a zero column is appended when dim is odd).
#pragma once

#include <cstdint>
#include <vector>

#include <genhost/engine/tensor.hpp>

namespace genhost::unet {

// timesteps may be fractional (Euler-type schedulers pass interpolated ones); returns [N, dim].
engine::Tensor timestep_embedding(const std::vector<float>& timesteps, int64_t dim);

}  // namespace genhost::unet
