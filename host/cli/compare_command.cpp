// genhost compare: trains one representative of each family at one budget, over seeds,
// and writes report.html, report.md and report.json (docs/comparison.md).
#include <iostream>

#include "cli/options.hpp"
#include "compare/child.hpp"
#include "compare/compare.hpp"
#include "compare/plan.hpp"
#include "compare/report.hpp"
#include "compare/runner.hpp"
#include "compare/spec.hpp"
#include "util/run_lock.hpp"

namespace genhost::cli {

namespace {

const char* const kUsage =
    "Usage: genhost compare COMPARISON.yaml [--set KEY=VALUE]... [--output DIR] [--overwrite] [--threads N]\n"
    "                       [--plugin-path DIR]... [--quiet] [--validate]\n"
    "Trains one pipeline per family (VAE, GAN, PixelCNN, diffusion, ...) on the same budget of training\n"
    "images, once per seed, each as a child `genhost run`; times sampling; and writes report.html,\n"
    "report.md and report.json into the comparison's folder (docs/comparison.md). Runs that finished\n"
    "are kept: running the same command again reuses them and resumes a stopped one.\n"
    "Five-minute smoke version of examples/compare-families.yaml:\n"
    "  genhost compare examples/compare-families.yaml --set budget.images=3000 --set seeds=[0] \\\n"
    "    --set samples=200 --set sample_images=16 --output runs/compare-smoke";

}  // namespace

int compare_command(const Args& args) { return compare_files(args, false); }

int compare_files(const Args& args, bool validate_only) {
    PipelineOptions o;
    bool validate_option = false;  // bool_switch writes false when absent
    po::options_description desc("Options");
    desc.add_options()("comparison", po::value(&o.pipeline)->required(), "the comparison file")(
        "set", po::value(&o.sets)->composing(),
        "override a key of the comparison, e.g. --set budget.images=3000 or --set seeds=[0] (repeatable; VALUE is YAML)")(
        "output,o", po::value<std::string>(), "the comparison's folder (default: its output, runs/<name>)")(
        "overwrite", po::bool_switch(&o.overwrite), "replace runs made with other settings")(
        "threads", po::value<std::string>(), "threads of every child run (0 = all cores, at most 1024)")(
        "quiet,q", po::bool_switch(&o.quiet), "no progress lines")(
        "resume", po::bool_switch(&o.resume), "what a comparison always does: reuse finished runs, resume a stopped one "
                                               "(accepted as `genhost run` suggests it after Ctrl-C)")(
        "validate", po::bool_switch(&validate_option), "check the comparison and every family's pipeline, then stop");
    add_plugin_path_option(desc, o.plugin_paths);
    po::positional_options_description pos;
    pos.add("comparison", 1);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, kUsage, desc, pos, vm, code)) return code;
    const bool validate = validate_only || validate_option;
    if (vm.count("output")) o.output = vm["output"].as<std::string>();
    std::string error;
    if (vm.count("threads")) {
        const auto n = parse_whole_number("threads", vm["threads"].as<std::string>(), 1024, error);
        if (n) o.threads = static_cast<uint32_t>(*n);
    }
    if (!error.empty()) {
        std::cerr << "genhost: " << error << "\n\n" << kUsage << "\n";
        return 2;
    }

    const compare::Comparison c = compare::load_comparison(o.pipeline, o.overrides());
    loader::PluginRegistry registry;
    scan_plugins(registry, o.plugin_paths);
    const auto plans = compare::plan_families(c, registry);
    if (!o.quiet || validate) {
        std::cout << (validate ? o.pipeline + " is a valid comparison: " : std::string("compare: ")) << c.seeds.size()
                  << " seed(s), " << c.budget_images << " training images each, into " << c.output.string() << "\n";
        for (const auto& p : plans)
            std::cout << "  " << p.family->name << ": " << p.family->pipeline.string() << ", " << p.steps << " steps of "
                      << p.images_per_step << " images" << (p.evaluate_every ? ", FID every " + std::to_string(p.evaluate_every) + " steps" : "")
                      << "\n";
    }
    if (validate) return 0;

    std::filesystem::create_directories(c.output);
    RunLock lock(c.output);  // one comparison at a time in a folder
    compare::RunnerOptions ro;
    ro.overwrite = o.overwrite;
    ro.quiet = o.quiet;
    ro.plugin_paths = o.plugin_paths;
    const auto runs = compare::run_comparison(c, plans, ro);
    Args typed = {"compare"};
    typed.insert(typed.end(), args.begin(), args.end());
    const nlohmann::json report = compare::compare_report(c, runs, compare::command_line(typed));
    compare::write_reports(c.output, report);
    if (!o.quiet) {
        std::cout << "\n";
        for (const auto& row : compare::stars_table(report)) {
            for (const auto& cell : row) std::cout << cell << "  |  ";
            std::cout << "\n";
        }
        std::cout << "\ncompare: report in " << (c.output / "report.html").string() << " (and report.md, report.json)\n";
    }
    return 0;
}

}  // namespace genhost::cli
