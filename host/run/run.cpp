#include "run/run.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "checkpoint/atomic_file.hpp"
#include "dist/world.hpp"
#include "run/context.hpp"
#include "util/run_lock.hpp"
#include "run/stages/stage.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

namespace {

// Text outputs are replaced atomically, as checkpoints are: never a torn file.
void write_text(const fs::path& file, const std::string& text) { checkpoint::write_text_atomic(file.string(), text); }

// A training run (or --overwrite) does not silently replace the run already in its folder.
void check_run_dir(const RunContext& run, const RunOptions& options) {
    const auto names = stages(run.p);
    if (options.overwrite || std::find(names.begin(), names.end(), "train") != names.end())
        check_output_dir(run.out, options.resume, options.overwrite);
}

}  // namespace

std::vector<std::string> stages(const nlohmann::json& p) {
    std::vector<std::string> out;
    for (const Stage& s : all_stages())
        if (s.active(p)) out.push_back(s.name);
    return out;
}

void validate_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                       const RunOptions& options) {
    RunOptions quiet = options;
    quiet.quiet = true;
    RunContext run(pipeline, registry, quiet);
    run.prepare();
    if (dist::world().root()) check_run_dir(run, options);  // rank 0 owns the run directory
}

void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options) {
    RunContext run(pipeline, registry, options);
    // Under mpirun every rank prepares (plugins, data, checks) and rank 0 alone owns the
    // run directory; the ranks agree before any work, so none starts training alone.
    const bool root = dist::world().root();
    std::unique_ptr<RunLock> lock;
    dist::agree("to prepare the run", [&] {
        run.prepare();  // everything is checked before the run directory exists
        if (!root) return;
        // One run at a time in a folder, and a training run does not silently replace the run
        // that is already there (checked under the lock, so two starts cannot both pass).
        lock = std::make_unique<RunLock>(run.out);
        check_run_dir(run, options);
        // With the params the model really has: a checkpoint's fill in the ones not written.
        nlohmann::json resolved = pipeline.json();
        resolved["model"]["params"] = run.model_params;
        write_text(run.out / "pipeline.resolved.yaml", pipeline.to_yaml(resolved));
    });
    run.encode_data();  // data.encode_with, after every check passed (every rank trains on it)
    // Training is the one data-parallel stage; sampling and evaluation run on rank 0.
    for (const Stage& s : all_stages())
        if (s.active(run.p) && (root || std::string(s.name) == "train")) s.run(run);
    if (!root) return;
    // What the numbers were computed with: each component's checkpoint by its hash.
    for (const auto& [name, c] : run.components) run.report["components"][name] = c.identity();
    if (!run.report.empty()) write_text(run.out / "metrics.json", run.report.dump(2) + "\n");
    run.say("done: outputs in " + run.out.string());
}

}  // namespace genhost::run
