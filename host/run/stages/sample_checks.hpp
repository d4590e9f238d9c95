// Checks shared by the stages that draw or tile images: what `run` would refuse after
// training, refused before it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace genhost::run {

class RunContext;
class Problems;

// The model can draw samples with the `sample:` options (`key` names the stage that
// needs them): a generator, or a denoiser with a scheduler; labels in range; diffusion
// options only for diffusion; steps within the scheduler's training schedule.
void check_sampling(const RunContext& run, const std::string& key, Problems& problems);

// A grid of `count` of the model's images, with `grid` ({columns, padding}), fits a PNG.
// `samples`: the grid shows samples, decoded by sample.decode_with when it is set.
void check_grid(const RunContext& run, int64_t count, const nlohmann::json& grid, const std::string& key,
                Problems& problems, bool samples = false);

}  // namespace genhost::run
