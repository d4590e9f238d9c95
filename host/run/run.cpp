#include "run/run.hpp"

#include <algorithm>
#include <filesystem>

#include "checkpoint/atomic_file.hpp"
#include "run/context.hpp"
#include "util/run_lock.hpp"
#include "run/stages/stage.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

namespace {

// Text outputs are replaced atomically, as checkpoints are: never a torn file.
void write_text(const fs::path& file, const std::string& text) { checkpoint::write_text_atomic(file.string(), text); }

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
}

void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options) {
    RunContext run(pipeline, registry, options);
    run.prepare();  // everything is checked before the run directory exists
    // One run at a time in a folder, and a training run does not silently replace the run
    // that is already there (checked under the lock, so two starts cannot both pass).
    RunLock lock(run.out);
    const auto names = stages(run.p);
    if (options.overwrite || std::find(names.begin(), names.end(), "train") != names.end())
        check_output_dir(run.out, options.resume, options.overwrite);
    write_text(run.out / "pipeline.resolved.yaml", pipeline.to_yaml());
    run.encode_data();  // data.encode_with, after every check passed
    for (const Stage& s : all_stages())
        if (s.active(run.p)) s.run(run);
    // What the numbers were computed with: each component's checkpoint by its hash.
    for (const auto& [name, c] : run.components) run.report["components"][name] = c.identity();
    if (!run.report.empty()) write_text(run.out / "metrics.json", run.report.dump(2) + "\n");
    run.say("done: outputs in " + run.out.string());
}

}  // namespace genhost::run
