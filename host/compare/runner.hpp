// Runs a comparison: every family with every seed as a child `genhost run` (train and
// evaluate), then, per family, one sampling run per sampler that times drawing
// `sample_images` images from the first seed's checkpoint.
//
// Runs that finished are kept and reused when the comparison runs again with the same
// settings (an interrupted hour is not lost); a stopped training run resumes. A folder
// holding a run made with other settings is refused unless `overwrite`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/plan.hpp"
#include "compare/spec.hpp"

namespace genhost::compare {

struct RunnerOptions {
    bool overwrite = false;
    bool quiet = false;
    std::vector<std::string> plugin_paths;  // passed on to every child (--plugin-path)
};

// One child run, as report.json records it.
struct ChildRecord {
    std::filesystem::path folder;
    std::vector<std::string> args;  // genhost ARGS
    double seconds = 0;             // wall time of the child
    double peak_mb = 0;             // its peak resident memory
    bool reused = false;            // finished by an earlier invocation
};

struct SamplingRecord {
    std::string sampler;
    ChildRecord run;
};

struct FamilyRuns {
    const FamilyPlan* plan = nullptr;
    std::vector<std::pair<uint64_t, ChildRecord>> seeds;  // training runs, by seed
    std::vector<SamplingRecord> sampling;
};

std::vector<FamilyRuns> run_comparison(const Comparison& c, const std::vector<FamilyPlan>& plans,
                                       const RunnerOptions& options);

// The pipeline that samples `sample_images` images from a trained run with `sampler`:
// the run's resolved pipeline with its checkpoint and only a sample section.
nlohmann::json sampling_pipeline(const std::filesystem::path& trained_run, const std::filesystem::path& output,
                                 const Sampler& sampler, int64_t images);

}  // namespace genhost::compare
