// train: the model's phases, optimizers, EMA, checkpoints and log (host/train); progress
// grids every train.sample_every steps; FID and friends every train.evaluate_every.
#include "data/loader.hpp"
#include "dist/world.hpp"
#include "run/context.hpp"
#include "run/data_options.hpp"
#include "run/quality.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace {

namespace fs = std::filesystem;

train::TrainerConfig trainer_config(const RunContext& run) {
    train::TrainerConfig config;
    config.section = run.p["train"];
    config.where = run.pipeline.file().string();
    config.seed = run.services.seed;
    config.output = run.out;
    config.resume = run.options.resume;
    config.quiet = run.options.quiet;
    config.metadata = run.checkpoint_metadata();
    return config;
}

// Under mpirun, this process's share of every global batch (docs/distributed.md).
data::DataOptions training_data(const RunContext& run, const std::string& domain = "") {
    data::DataOptions o = data_options(run.p["data"], run.services.seed, domain);
    o.shard_rank = dist::world().rank;
    o.shard_count = dist::world().size;
    return o;
}

// Domain b's batches, with data.domains; null otherwise.
std::unique_ptr<data::DataLoader> domain_b_loader(const RunContext& run) {
    if (!run.dataset_b) return nullptr;
    try {
        return std::make_unique<data::DataLoader>(run.dataset_b, training_data(run, "b"));
    } catch (const Error& e) {
        throw Error(run.at("data.domains.b") + ": " + e.what());
    }
}

bool active(const nlohmann::json& p) {
    return p.contains("train") && !(p["train"]["steps"].is_number_integer() && p["train"]["steps"] == 0);
}

void check(const RunContext& run, Problems& problems) {
    if (!run.model->trainable()) {
        problems.add(run.at("train") + ": plugin '" + run.model->id() + "' cannot be trained (no genhost.trainable/1); "
                                       "remove the train section");
        return;
    }
    try {  // the trainer checks phases, optimizers, schedules and EMA as it is built
        data::DataLoader loader(run.dataset, training_data(run));
        train::TrainerConfig config = trainer_config(run);
        std::unique_ptr<data::DataLoader> loader_b = domain_b_loader(run);
        config.data_b = loader_b.get();
        train::Trainer trainer(*run.model, loader, config);
    } catch (const Error& e) {
        problems.add(e.what());
    }
    const nlohmann::json& t = run.p["train"];
    if (t.value("sample_every", int64_t{0}) > 0) {
        if (!run.can_sample())
            problems.add(run.at("train.sample_every") + ": plugin '" + run.model->id() +
                         "' cannot draw progress samples; set train.sample_every: 0");
        else
            check_grid(run, 64, run.p.value("sample", nlohmann::json::object()).value("grid", nlohmann::json::object()),
                       "sample.grid", problems, /*samples=*/true);
    }
    if (t["evaluate_every"].get<int64_t>() > 0) {
        if (!run.p.contains("evaluate") || run.p["evaluate"]["metrics"].empty())
            problems.add(run.at("train.evaluate_every") + ": needs metrics to log: add evaluate: {metrics: [fid]}");
        else if (!run.can_sample())
            problems.add(run.at("train.evaluate_every") + ": plugin '" + run.model->id() + "' cannot draw samples to score");
    }
}

void run_stage(RunContext& run) {
    data::DataLoader loader(run.dataset, training_data(run));
    train::TrainerConfig config = trainer_config(run);
    std::unique_ptr<data::DataLoader> loader_b = domain_b_loader(run);
    config.data_b = loader_b.get();
    const nlohmann::json sample_section = run.p.value("sample", nlohmann::json::object());
    // Rank 0 alone draws progress grids and scores them; the others wait at the next step.
    const bool root = dist::world().root();
    if (root && run.can_sample() && config.section.value("sample_every", int64_t{0}) > 0) {
        fs::create_directories(run.out / "progress");
        config.on_sample = [&run, sample_section](int64_t step) {
            sample::SampleSpec spec = run.sample_spec();
            // sample.count 0 skips only the sample stage: progress grids still show 64.
            spec.count = spec.count > 0 ? std::min<int64_t>(spec.count, 64) : 64;
            spec.quiet = true;
            char name[32];
            std::snprintf(name, sizeof name, "step_%06lld.png", static_cast<long long>(step));
            run.save_grid(run.out / "progress" / name, run.draw(spec),
                          sample_section.value("grid", nlohmann::json::object()), run.image_range());
        };
    }
    // Quality during training: the metrics on evaluate.during_training samples.
    std::unique_ptr<Scorer> scorer;
    if (root && config.section["evaluate_every"].get<int64_t>() > 0) {
        const int64_t count = run.p["evaluate"]["during_training"].get<int64_t>();
        auto metrics = run.metrics();
        const Component* judge = needs_features(metrics) ? &run.judge() : nullptr;
        scorer = std::make_unique<Scorer>(judge, std::move(metrics));
        scorer->set_real(run.real_images(count).images, run.image_range());
        config.evaluate_every = config.section["evaluate_every"].get<int64_t>();
        config.evaluate_columns = metric_value_names(run.metrics());
        if (judge && judge->instance->embedding_classes() > 0 && sample::conditioning_classes(*run.model) > 0)
            config.evaluate_columns.push_back("label_accuracy");
        config.on_evaluate = [&run, &scorer, count, names = config.evaluate_columns](int64_t) {
            const sample::SampleSpec spec = run.evaluate_spec(count);
            const nlohmann::json scores = scorer->score(run.draw(spec), run.image_range(), "progress samples",
                                                        sample::drawn_labels(*run.model, spec));
            std::vector<double> values;
            for (const auto& n : names) values.push_back(scores.at(n).get<double>());
            return values;
        };
    }
    train::Trainer trainer(*run.model, loader, config);
    train::TrainResult r = trainer.run();
    trainer.use_ema_weights();
    std::string parallel;
    if (dist::world().parallel())
        parallel = " on " + std::to_string(dist::world().size) + " processes (" +
                   std::to_string(static_cast<int>(100 * r.allreduce_seconds / std::max(1e-9, r.seconds))) +
                   "% of the time in allreduce)";
    const std::string written = root ? "; log " + (run.out / "train_log.csv").string() + ", checkpoint " +
                                           (run.out / "checkpoint.safetensors").string()
                                     : "; rank 0 writes the log and checkpoint";
    run.say("train: " + std::to_string(r.steps_this_run) + " steps in " + std::to_string(static_cast<int>(r.seconds)) +
            " s" + parallel + written);
}

}  // namespace

extern const Stage train_stage = {"train", true, active, check, run_stage};

}  // namespace genhost::run
