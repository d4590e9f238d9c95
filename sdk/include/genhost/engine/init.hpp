// Weight initialisers, in place, matching torch.nn.init's formulas.
// fan_in = size(1) * receptive field, fan_out = size(0) * receptive field.
#pragma once

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

class Generator;

void init_zeros(Tensor& t);
void init_constant(Tensor& t, float value);
void init_normal(Tensor& t, Generator& gen, float mean = 0.0f, float stddev = 0.02f);  // DCGAN
void init_uniform(Tensor& t, Generator& gen, float lo, float hi);
// gain sqrt(2 / (1 + a^2)) for leaky ReLU slope a (a = 0: ReLU); uses fan_in.
void init_kaiming_normal(Tensor& t, Generator& gen, float a = 0.0f);
void init_kaiming_uniform(Tensor& t, Generator& gen, float a = 0.0f);
void init_xavier_normal(Tensor& t, Generator& gen, float gain = 1.0f);
void init_xavier_uniform(Tensor& t, Generator& gen, float gain = 1.0f);

}  // namespace genhost::engine
