// The pipeline's `data:` section as the data part's options.
#pragma once

#include <nlohmann/json.hpp>

#include "data/options.hpp"

namespace genhost::run {

// `section` is validated (defaults filled in); `seed` is the run seed.
data::DataOptions data_options(const nlohmann::json& section, uint64_t seed);

}  // namespace genhost::run
