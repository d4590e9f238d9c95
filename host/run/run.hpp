// A run: the run directory, the plugin instances, and the stages in order
// (train, sample, evaluate), each present only when the pipeline has its section.
#pragma once

#include "loader/registry.hpp"
#include "pipeline/pipeline.hpp"

namespace genhost::run {

struct RunOptions {
    bool resume = false;  // continue from <output>/checkpoint.safetensors
    bool quiet = false;   // no progress output
};

// Runs `pipeline` (already resolved against `registry`). Throws genhost::Error.
void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options);

}  // namespace genhost::run
