// Images of one data domain into the other, through a model's genhost.translator/1.
#pragma once

#include <string>

#include "loader/instance.hpp"
#include "sample/sampler.hpp"

namespace genhost::sample {

// "a_to_b" -> GENHOST_TRANSLATE_A_TO_B, "b_to_a" -> GENHOST_TRANSLATE_B_TO_A.
uint32_t translate_direction(const std::string& name);

// `images` translated in `direction`, `batch_size` at a time; throws genhost::Error when
// the model has no translator or a call fails.
Images translate(const loader::PluginInstance& model, const Images& images, uint32_t direction, int64_t batch_size);

}  // namespace genhost::sample
