// A run: the run directory, the plugin instances, and the stages in order (train,
// sample, reconstruct, interpolate, inpaint, evaluate; stages/stage.hpp), each run when
// the pipeline has its section. Everything a run would refuse is refused by prepare()
// before any stage starts or the run directory exists; validate_pipeline is that alone.
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
    bool overwrite = false;  // replace a run already in the run directory
};

// The stages `pipeline` runs, in order. A section can be there without its stage:
// train.steps: 0 (a checkpoint's weights only), sample.count: 0 (the section only picks
// the sampler for inpaint).
std::vector<std::string> stages(const nlohmann::json& pipeline);

// Creates the plugins, loads checkpoints and components, and checks every stage's
// options, as run_pipeline does before its first stage; writes nothing. Throws genhost::Error.
void validate_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                       const RunOptions& options);

// Runs `pipeline` (already resolved against `registry`). Throws genhost::Error.
void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options);

}  // namespace genhost::run
