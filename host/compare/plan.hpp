// What each family's runs are: its pipeline checked as `genhost validate` would (with the
// comparison's overrides), the budget turned into its train.steps, and the --set
// overrides of one run (one family, one seed).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "compare/spec.hpp"
#include "loader/registry.hpp"

namespace genhost::compare {

struct FamilyPlan {
    const Family* family = nullptr;
    int64_t images_per_step = 0;   // batch size x repeats of the phases that draw data
    int64_t steps = 0;             // budget_images / images_per_step, at least 1
    int64_t evaluate_every = 0;    // 0 = no FID over training
    std::vector<std::string> phases;  // "critic x5 (data)", for the report
};

// The folder of one family's run with `seed`: <output>/<family>/seed-<seed>.
std::filesystem::path run_folder(const Comparison& c, const Family& f, uint64_t seed);

// Everything a training run of `f` with `seed` is given with --set, in order: the
// comparison's `set`, the family's, then what the comparison decides (seed, output,
// steps, the metrics and their counts, FID over training).
std::vector<std::string> run_overrides(const Comparison& c, const FamilyPlan& plan, uint64_t seed);

// Checks every family's pipeline with its overrides (plugins, params, checkpoints, every
// stage) and plans its budget. Throws genhost::Error naming the family and its file.
std::vector<FamilyPlan> plan_families(const Comparison& c, const loader::PluginRegistry& registry);

}  // namespace genhost::compare
