// A comparison file (docs/comparison.md): which pipelines represent the families, the
// budget they share, the seeds, and what is measured.
//
//   auto spec = load_comparison("examples/compare-families.yaml", {"budget.images=4000"});
//   spec.families[0].pipeline      // absolute path of the family's own pipeline file
//
// Read like a pipeline (the same YAML reader, --set and messages with file:line:column);
// whether each family's pipeline is valid is checked by plan.hpp.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace genhost::compare {

struct Sampler {
    std::string name;      // as the report shows it: "DDIM-50"
    nlohmann::json scheduler;  // {plugin, params} for sample.scheduler; null = the pipeline's own sampling
    std::string where;         // "compare.yaml:44:9: families.diffusion.samplers[2]", for messages
};

struct Family {
    std::string name;                 // the key under families: (a folder name)
    std::string label;                // for the report; default: name
    std::filesystem::path pipeline;   // resolved against the comparison file's folder
    std::vector<std::string> sets;    // this family's overrides (after the comparison's `set`)
    std::vector<Sampler> samplers;    // at least one
};

struct Comparison {
    std::filesystem::path file;
    std::string name;
    std::filesystem::path output;     // runs/<name> by default
    uint32_t threads = 0;             // of every child run; 0 = all cores
    int64_t budget_images = 0;        // training images drawn by every family and seed
    std::vector<uint64_t> seeds;
    int64_t samples = 0;              // evaluate.count: generated images scored per run
    nlohmann::json metrics;           // evaluate.metrics
    int64_t fid_points = 0;           // FID evaluations over training (train.evaluate_every)
    int64_t fid_samples = 0;          // evaluate.during_training
    int64_t fid_last = 0;             // FID values at the end of training whose spread is reported
    int64_t sample_images = 0;        // images drawn to time sampling
    std::vector<std::string> sets;    // overrides of every family
    std::vector<Family> families;
    nlohmann::json json;              // the checked file, defaults filled in (for report.json)
};

// True when `file` reads as a comparison (a mapping with `families:`), not a pipeline:
// lets `genhost run` and `genhost validate` hand it to `genhost compare`.
bool is_comparison_file(const std::filesystem::path& file);

// Reads and checks `file` with `overrides` ("KEY=VALUE" as for pipelines). Throws
// genhost::Error listing every problem, each with file:line:column and the key.
Comparison load_comparison(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

// The folder part of a sampler's name: letters and digits lowercased, the rest '-'. Two
// samplers of one family may not share it (load_comparison refuses them).
std::string sampler_slug(const std::string& name);

}  // namespace genhost::compare
