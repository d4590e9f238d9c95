// genhost run / genhost validate: one pipeline file, checked before any work.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>

#include "cli/options.hpp"
#include "compare/spec.hpp"
#include "dist/world.hpp"
#include "pipeline/pipeline.hpp"
#include "run/run.hpp"
#include "util/run_lock.hpp"

namespace genhost::cli {

namespace {

const char* const kUsageRun =
    "Usage: genhost run PIPELINE.yaml [--set KEY=VALUE]... [--output DIR] [--resume | --overwrite] [--threads N]\n"
    "                   [--seed N] [--plugin-path DIR]... [--quiet] [--all-ranks]\n"
    "Runs a pipeline's stages (train, sample, reconstruct, interpolate, inpaint, evaluate, in that\n"
    "order) into its run directory. Under `mpirun -np N genhost run ...` training is data-parallel\n"
    "over N processes, each with data.batch_size examples of every step (docs/distributed.md).\n"
    "Everything is checked before any work starts; `genhost validate` does only that.";

const char* const kUsageValidate =
    "Usage: genhost validate PIPELINE.yaml [--set KEY=VALUE]... [--output DIR] [--resume | --overwrite] [--threads N]\n"
    "                        [--seed N] [--plugin-path DIR]... [--quiet] [--all-ranks]\n"
    "Checks a pipeline as `genhost run` with the same options would (keys, types, ranges, plugins and their\n"
    "params, checkpoints, components, every stage's options against the model, and a run already in the\n"
    "run directory), then exits without writing anything.";

int pipeline_command(const Args& args, bool run) {
    PipelineOptions o;
    bool all_ranks = false;
    po::options_description desc("Options");
    desc.add_options()("pipeline", po::value(&o.pipeline)->required(), "the pipeline file")(
        "set", po::value(&o.sets)->composing(),
        "override a key, e.g. --set train.epochs=3 or --set sample.scheduler.plugin=ddim (repeatable; "
        "VALUE is YAML)");
    add_plugin_path_option(desc, o.plugin_paths);
    // validate takes run's options too: a run's command line is checked as it is, the run
    // folder included (a folder holding a run, a --resume without a checkpoint, a file).
    desc.add_options()("output,o", po::value<std::string>(), "the run directory (default: the pipeline's output)")(
        "resume", po::bool_switch(&o.resume), "continue from the run directory's checkpoint")(
        "overwrite", po::bool_switch(&o.overwrite), "replace a run already in the run directory")(
        "threads", po::value<std::string>(), "busy threads in total (0 = all cores, at most 1024)")(
        "seed", po::value<std::string>(), "the run's seed (0 to 9223372036854775807)")(
        "quiet,q", po::bool_switch(&o.quiet), run ? "no progress output" : "no output when the pipeline is valid")(
        "all-ranks", po::bool_switch(&all_ranks), "under mpirun, every process prints (default: rank 0 only)");
    po::positional_options_description pos;
    pos.add("pipeline", 1);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, run ? kUsageRun : kUsageValidate, desc, pos, vm, code)) return code;
    if (vm.count("output")) o.output = vm["output"].as<std::string>();
    // The same limits as the pipeline's seed and threads keys.
    std::string error;
    if (vm.count("threads")) {
        const auto n = parse_whole_number("threads", vm["threads"].as<std::string>(), 1024, error);
        if (n) o.threads = static_cast<uint32_t>(*n);
    }
    if (vm.count("seed") && error.empty()) o.seed = parse_whole_number("seed", vm["seed"].as<std::string>(), INT64_MAX, error);
    if (!error.empty()) {
        std::cerr << "genhost: " << error << "\n\n" << (run ? kUsageRun : kUsageValidate) << "\n(--help for every option)\n";
        return 2;
    }

    // Under mpirun the ranks agree on the pipeline before going on (one message, not N).
    std::optional<pipeline::Pipeline> loaded;
    loader::PluginRegistry registry;
    dist::agree("to read the pipeline", [&] {
        loaded.emplace(pipeline::Pipeline::load(o.pipeline, o.overrides()));
        scan_plugins(registry, o.plugin_paths, loaded->plugin_folders());
        loaded->resolve_plugins(registry);
    });
    pipeline::Pipeline& pipeline = *loaded;

    run::RunOptions ro;
    ro.resume = o.resume;
    ro.quiet = o.quiet || (!dist::world().root() && !all_ranks);
    ro.overwrite = o.overwrite;
    if (!run) {
        // Under mpirun every rank checks (each may see other files) and one reports.
        dist::agree("to validate the pipeline", [&] { run::validate_pipeline(pipeline, registry, ro); });
        if ((!dist::world().root() && !all_ranks) || o.quiet) return 0;
        std::string stages;
        for (const std::string& s : run::stages(pipeline.json())) stages += (stages.empty() ? "" : ", ") + s;
        std::cout << o.pipeline << " is valid: model " << pipeline.json()["model"]["plugin"].get<std::string>()
                  << "; stages: " << (stages.empty() ? "none" : stages) << "; output "
                  << pipeline.output_dir().string() << "\n";
        return 0;
    }
    run::run_pipeline(pipeline, registry, ro);
    return 0;
}

// A comparison file (a mapping with `families:`) given to run or validate is handed to
// `genhost compare`, which reads it.
bool names_comparison(const Args& args) {
    for (const std::string& a : args)
        if (!a.empty() && a[0] != '-') return compare::is_comparison_file(a);
    return false;
}

}  // namespace

int run_command(const Args& args) { return names_comparison(args) ? compare_files(args, false) : pipeline_command(args, true); }
int validate_command(const Args& args) {
    return names_comparison(args) ? compare_files(args, true) : pipeline_command(args, false);
}


}  // namespace genhost::cli
