// A run: the run directory, the plugin instances, and the stages in order (train,
// sample, reconstruct, interpolate, inpaint, evaluate), each run when the pipeline has
// its section.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/registry.hpp"
#include "pipeline/pipeline.hpp"

namespace genhost::run {

struct RunOptions {
    bool resume = false;  // continue from <output>/checkpoint.safetensors
    bool quiet = false;   // no progress output
};

// The stages `pipeline` runs, in order. A section can be there without its stage:
// train.steps: 0 (a checkpoint's weights only), sample.count: 0 (the section only picks
// the sampler for inpaint).
std::vector<std::string> stages(const nlohmann::json& pipeline);

// Runs `pipeline` (already resolved against `registry`). Throws genhost::Error.
void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options);

}  // namespace genhost::run
