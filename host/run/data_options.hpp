// The pipeline's `data:` section as the data part's options.
#pragma once

#include <nlohmann/json.hpp>

#include "data/options.hpp"
#include "image/grid.hpp"
#include "sample/latent.hpp"

namespace genhost::run {

// `section` is validated (defaults filled in); `seed` is the run seed.
data::DataOptions data_options(const nlohmann::json& section, uint64_t seed);

// The first `count` images of the test split of `section`'s dataset (0 = all), every
// class, with values in `range`: what reconstructions, completions and metrics compare with.
sample::LabelledImages test_images(const nlohmann::json& section, uint64_t seed, int64_t count, image::ValueRange range);

// A `data:` section with every default of the pipeline schema filled in.
nlohmann::json default_data_section(nlohmann::json section);

}  // namespace genhost::run
