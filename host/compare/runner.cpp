#include "compare/runner.hpp"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "checkpoint/atomic_file.hpp"
#include "compare/child.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/yaml_document.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace genhost::compare {

namespace fs = std::filesystem;

namespace {

// The record of a child run in its folder: what it was started with, and once it
// finished, what it measured. Decides whether a later invocation may reuse it.
constexpr const char* kRecord = "compare-run.json";

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

struct Runner {
    const Comparison& c;
    const RunnerOptions& o;
    int done = 0, total = 0;

    void say(const std::string& line) const {
        if (!o.quiet) std::cout << "compare: " << line << std::endl;
    }

    // Runs `genhost ARGS` in `folder` unless a finished run with the same ARGS is there.
    // `resumable`: a training run, continued with --resume after an interruption.
    // `identity`: anything else the run depends on (a file's text), compared as ARGS are.
    ChildRecord run(const fs::path& folder, std::vector<std::string> args, const std::string& what, bool resumable,
                    const std::string& identity = "") {
        ++done;
        ChildRecord r;
        r.folder = folder;
        r.args = args;
        const fs::path record_file = folder / kRecord;
        const nlohmann::json record = fs::exists(record_file) ? read_json(record_file) : nlohmann::json();
        const bool same = record.is_object() && record.value("args", nlohmann::json()) == nlohmann::json(args) &&
                          record.value("identity", std::string()) == identity;
        const std::string progress = "[" + std::to_string(done) + "/" + std::to_string(total) + "] " + what;
        if (same && record.value("finished", false)) {
            r.seconds = record.value("seconds", 0.0);
            r.peak_mb = record.value("peak_mb", 0.0);
            r.reused = true;
            say(progress + ": kept from an earlier run (" + folder.string() + ")");
            return r;
        }
        const bool holds_run = fs::exists(folder / "checkpoint.safetensors") || fs::exists(folder / "train_log.csv");
        if (holds_run && !same && !o.overwrite)
            throw Error(folder.string() + " holds a run made with other settings than this comparison's (or by hand); "
                        "run the comparison with --overwrite to replace it, or set output: to another folder");
        if (holds_run) args.push_back(same && resumable && fs::exists(folder / "checkpoint.safetensors") ? "--resume" : "--overwrite");
        fs::create_directories(folder);
        checkpoint::write_text_atomic(record_file.string(), nlohmann::json({{"args", r.args}, {"identity", identity}, {"finished", false}}).dump(2) + "\n");
        say(progress + ": " + command_line(args));
        ChildResult result;
        {
            StopSignalScope stop;  // Ctrl-C reaches the child too; this process waits for it to checkpoint
            result = run_child(args, folder / "genhost.log");
        }
        if (result.exit_code == 0) {  // finished work is recorded before a stop is honoured
            r.seconds = result.seconds;
            r.peak_mb = result.peak_mb;
            checkpoint::write_text_atomic(record_file.string(),
                                          nlohmann::json({{"args", r.args}, {"identity", identity}, {"finished", true},
                                                          {"seconds", r.seconds}, {"peak_mb", r.peak_mb}}).dump(2) + "\n");
        }
        if (result.exit_code == 130 || result.exit_code == 143 || stop_requested())
            // This process's own signal first: the child's is SIGUSR1 when it was handed on.
            throw StopRequested(stop_signal() ? stop_signal() : result.exit_code > 128 ? result.exit_code - 128 : 2,
                                "during " + what + " (" + folder.string() + "); runs that finished are kept and a stopped "
                                "training resumes when the same command runs again");
        if (result.exit_code != 0)
            throw Error(what + " failed (" + describe_exit(result) + "): " + command_line(args) +
                        "\nlast lines of " + (folder / "genhost.log").string() + ":" + tail(folder / "genhost.log", 12));
        std::ostringstream line;
        line << std::fixed << std::setprecision(1) << progress << ": done in " << r.seconds << " s, peak " << r.peak_mb << " MB";
        say(line.str());
        return r;
    }

    std::vector<std::string> common_args() const {
        std::vector<std::string> a = {"--quiet"};
        for (const auto& p : o.plugin_paths) a.insert(a.end(), {"--plugin-path", p});
        return a;
    }
};

}  // namespace

nlohmann::json sampling_pipeline(const fs::path& trained_run, const fs::path& output, const Sampler& sampler,
                                 int64_t images) {
    const nlohmann::json trained = pipeline::load_yaml_file((trained_run / "pipeline.resolved.yaml").string()).root;
    nlohmann::json p = nlohmann::json::object();
    for (const char* key : {"name", "seed", "threads", "plugin_paths", "data", "components", "model", "scheduler"})
        if (trained.contains(key)) p[key] = trained[key];
    p["model"]["checkpoint"] = fs::absolute(trained_run / "checkpoint.safetensors").string();
    p["output"] = output.string();
    p["sample"] = {{"count", images}, {"batch_size", images}, {"grid", {{"columns", 8}}}};
    if (!sampler.scheduler.is_null()) p["sample"]["scheduler"] = sampler.scheduler;
    return p;
}

std::vector<FamilyRuns> run_comparison(const Comparison& c, const std::vector<FamilyPlan>& plans,
                                       const RunnerOptions& options) {
    Runner runner{c, options};
    for (const auto& plan : plans) runner.total += static_cast<int>(c.seeds.size() + plan.family->samplers.size());
    std::vector<FamilyRuns> all;
    for (const auto& plan : plans) {
        FamilyRuns runs;
        runs.plan = &plan;
        const Family& f = *plan.family;
        for (uint64_t seed : c.seeds) {
            std::vector<std::string> args = {"run", f.pipeline.string()};
            for (const auto& s : run_overrides(c, plan, seed)) args.insert(args.end(), {"--set", s});
            const auto common = runner.common_args();
            args.insert(args.end(), common.begin(), common.end());
            const std::string what = f.name + " seed " + std::to_string(seed) + " (" + std::to_string(plan.steps) +
                                     " steps of " + std::to_string(plan.images_per_step) + " images)";
            runs.seeds.emplace_back(seed, runner.run(run_folder(c, f, seed), args, what, /*resumable=*/true));
        }
        const fs::path trained = run_folder(c, f, c.seeds.front());
        for (const Sampler& s : f.samplers) {
            const fs::path folder = c.output / f.name / ("sample-" + sampler_slug(s.name));
            fs::create_directories(folder);
            const fs::path file = folder / "sample.yaml";
            const std::string text = "# Written by genhost compare: draws " + std::to_string(c.sample_images) + " images from " +
                                     trained.string() + " with " + s.name + ".\n" +
                                     pipeline::to_yaml(sampling_pipeline(trained, folder, s, c.sample_images));
            checkpoint::write_text_atomic(file.string(), text);
            std::vector<std::string> args = {"run", file.string()};
            const auto common = runner.common_args();
            args.insert(args.end(), common.begin(), common.end());
            // Sampled again when the file or the trained checkpoint changed.
            const auto trained_at = fs::last_write_time(trained / "checkpoint.safetensors").time_since_epoch().count();
            runs.sampling.push_back({s.name, runner.run(folder, args, f.name + " sampling " + std::to_string(c.sample_images) +
                                                                          " images with " + s.name,
                                                        false, text + std::to_string(trained_at))});
        }
        all.push_back(runs);
    }
    return all;
}

}  // namespace genhost::compare
