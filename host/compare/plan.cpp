#include "compare/plan.hpp"

#include <algorithm>

#include "pipeline/pipeline.hpp"
#include "run/context.hpp"
#include "run/run.hpp"
#include "train/model_state.hpp"
#include "util/error.hpp"

namespace genhost::compare {

namespace fs = std::filesystem;

fs::path run_folder(const Comparison& c, const Family& f, uint64_t seed) {
    return c.output / f.name / ("seed-" + std::to_string(seed));
}

std::vector<std::string> run_overrides(const Comparison& c, const FamilyPlan& plan, uint64_t seed) {
    std::vector<std::string> sets = c.sets;
    sets.insert(sets.end(), plan.family->sets.begin(), plan.family->sets.end());
    const std::vector<std::string> decided = {
        "seed=" + std::to_string(seed),
        "output=\"" + run_folder(c, *plan.family, seed).string() + "\"",
        "threads=" + std::to_string(c.threads),
        "train.steps=" + std::to_string(plan.steps),
        "train.evaluate_every=" + std::to_string(plan.evaluate_every),
        "sample.count=0",  // sampling is timed by a run of its own (runner.hpp)
        "evaluate.metrics=" + c.metrics.dump(),
        "evaluate.count=" + std::to_string(c.samples),
        "evaluate.during_training=" + std::to_string(c.fid_samples),
    };
    sets.insert(sets.end(), decided.begin(), decided.end());
    return sets;
}

namespace {

// Loads the family's pipeline as its runs will, and checks it as `genhost validate` does;
// returns the images one training step draws.
int64_t check_family(const Comparison& c, FamilyPlan& plan, const loader::PluginRegistry& registry) {
    auto pipeline = pipeline::Pipeline::load(plan.family->pipeline, run_overrides(c, plan, c.seeds.front()));
    pipeline.resolve_plugins(registry);
    if (!pipeline.json().contains("train"))
        throw Error("the pipeline has no train section: a family of the comparison must train");
    run::RunOptions quiet;
    quiet.quiet = true;
    run::RunContext context(pipeline, registry, quiet);
    context.prepare();  // what `genhost validate` checks but the run folder, which the comparison manages
    const genhost_trainable* trainable = context.model->trainable();
    if (!trainable) throw Error("plugin '" + context.model->id() + "' cannot be trained");
    train::ModelState state(trainable, context.model->raw(), context.model->id());
    const nlohmann::json& p = pipeline.json();
    // Against the pipeline as its runs will see it (the comparison's and family's `set` applied).
    for (const Sampler& s : plan.family->samplers) {
        if (s.scheduler.is_null()) continue;
        if (!p.contains("scheduler"))
            throw Error("samplers: '" + s.name + "' sets a scheduler, but the pipeline has none (samplers are for diffusion)");
        // Its params against the scheduler's schema now, not after the training runs.
        std::vector<std::string> sets = run_overrides(c, plan, c.seeds.front());
        sets.insert(sets.end(), {"sample.count=" + std::to_string(c.sample_images), "sample.scheduler=" + s.scheduler.dump()});
        try {
            auto sampling = pipeline::Pipeline::load(plan.family->pipeline, sets);
            sampling.resolve_plugins(registry);
            run::RunContext(sampling, registry, quiet).prepare();
        } catch (const Error& e) {
            // Told at the sampler's place in the comparison file, in its own keys (params.X),
            // not as the sample.scheduler override its check was made with.
            std::string what = e.what();
            const size_t at = what.find("sample.scheduler.");
            if (at != std::string::npos) what = what.substr(at + std::string("sample.scheduler.").size());
            throw Error("samplers: '" + s.name + "' (" + s.where + "): " + what);
        }
    }
    // train.phases is optional: a const json's [] of a missing key is undefined behaviour.
    const nlohmann::json repeats = p["train"].value("phases", nlohmann::json::object());
    int64_t drawn = 0;
    plan.phases.clear();
    for (const auto& phase : state.phases()) {
        const int64_t r = repeats.contains(phase.name) ? repeats[phase.name].get<int64_t>() : 1;
        if (phase.uses_data) drawn += r;
        plan.phases.push_back(phase.name + " x" + std::to_string(r) + (phase.uses_data ? " (data)" : " (no data)"));
    }
    return p["data"]["batch_size"].get<int64_t>() * std::max<int64_t>(1, drawn);
}

}  // namespace

std::vector<FamilyPlan> plan_families(const Comparison& c, const loader::PluginRegistry& registry) {
    std::vector<FamilyPlan> plans;
    std::string errors;
    for (const Family& f : c.families) {
        FamilyPlan plan;
        plan.family = &f;
        plan.steps = 1;
        try {
            plan.images_per_step = check_family(c, plan, registry);
            if (c.budget_images < plan.images_per_step)  // else the first step alone would overrun it
                throw Error("budget.images " + std::to_string(c.budget_images) + " is less than one training step of " +
                            std::to_string(plan.images_per_step) + " images; raise budget.images or lower data.batch_size");
            plan.steps = std::max<int64_t>(1, (c.budget_images + plan.images_per_step / 2) / plan.images_per_step);
            plan.evaluate_every = c.fid_points > 0 ? std::max<int64_t>(1, (plan.steps + c.fid_points - 1) / c.fid_points) : 0;
        } catch (const Error& e) {
            errors += (errors.empty() ? "" : "\n") + std::string("families.") + f.name + " (" + f.pipeline.string() + "): " + e.what();
        }
        plans.push_back(plan);
    }
    if (!errors.empty()) throw Error(c.file.string() + ": a family's pipeline is not valid with the comparison's settings:\n" + errors);
    return plans;
}

}  // namespace genhost::compare
