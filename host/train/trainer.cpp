#include "train/trainer.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <fstream>
#include <sstream>

#include "checkpoint/atomic_file.hpp"
#include "data/rng.hpp"
#include "dist/world.hpp"
#include "train/data_parallel.hpp"
#include "train/ema.hpp"
#include "train/grad_check.hpp"
#include "train/grad_clip.hpp"
#include "train/lr_schedule.hpp"
#include "train/model_state.hpp"
#include "train/optimizer_factory.hpp"
#include "train/run_checkpoint.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/stop_signal.hpp"

namespace genhost::train {

namespace fs = std::filesystem;

namespace {

// The pipeline's YAML maps (as JSON) in the shape the optimizer factories read.
OptionMap to_options(const nlohmann::json& j, const std::string& where) {
    OptionMap out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto& v = it.value();
        if (v.is_boolean()) out[it.key()] = v.get<bool>();
        else if (v.is_number()) out[it.key()] = v.get<double>();
        else if (v.is_string()) out[it.key()] = v.get<std::string>();
        else if (v.is_array() && std::all_of(v.begin(), v.end(), [](const auto& x) { return x.is_number(); }))
            out[it.key()] = v.get<std::vector<double>>();
        else
            throw Error(where + "." + it.key() + ": expected a number, boolean, string or list of numbers");
    }
    return out;
}

// The most steps a run counts: exact as a double, and what a checkpoint may hold.
constexpr int64_t kMaxSteps = int64_t{1} << 53;

// Domains of derive_seed, so that the seeds of examples and of processes never meet.
constexpr uint64_t kRowSeeds = 0x726f777300000000ull;   // "rows"
constexpr uint64_t kRankSeeds = 0x72616e6b00000000ull;  // "rank"

struct PhaseRun {
    ModelPhase phase;
    int64_t repeats = 1;
};

}  // namespace

struct Trainer::Impl {
    const loader::PluginInstance& plugin;
    const genhost_trainable* api;
    data::DataLoader& data;
    TrainerConfig config;
    ModelState model;
    std::vector<PhaseRun> schedule;
    std::vector<uint64_t> row_seeds;  // genhost_batch.seeds of the current call
    std::map<std::string, std::unique_ptr<Optimizer>> optimizers;  // by group
    std::map<std::string, std::unique_ptr<Ema>> emas;              // by group
    std::map<std::string, LrSchedule> lr_schedules;                // by group
    double grad_clip = 0;
    int64_t total = 0, log_every = 50, checkpoint_every = 0, sample_every = 0;
    bool ema_in_model = false;
    // Data parallelism (a world of one: inactive). Rank 0 alone writes the log and
    // checkpoints; every rank steps with the gradients of the whole global batch.
    DataParallel parallel;
    bool writes = dist::world().root();
    bool stop_all = false;  // a rank was asked to stop: all stop after this step

    Impl(const loader::PluginInstance& p, data::DataLoader& d, TrainerConfig c)
        : plugin(p), api(p.trainable()), data(d), config(std::move(c)),
          model(api ? api : throw Error("plugin '" + p.id() + "' cannot be trained: it has no " GENHOST_EXT_TRAINABLE
                                                                 " capability; remove the train: section"),
                p.raw(), p.id()),
          parallel(model) {
        const auto& s = config.section;
        const std::string where = config.where + ": train";
        configure_phases(s, where);
        configure_optimizers(s, where);
        grad_clip = s.value("grad_clip", 0.0);
        if (s.contains("ema") && !s["ema"].is_null()) configure_ema(s["ema"], where + ".ema");
        log_every = s.at("log_every").get<int64_t>();
        checkpoint_every = s.at("checkpoint_every").get<int64_t>();
        sample_every = s.value("sample_every", int64_t{0});
    }

    void configure_phases(const nlohmann::json& s, const std::string& where) {
        const nlohmann::json repeats = s.value("phases", nlohmann::json::object());
        std::string known;
        for (const auto& ph : model.phases()) known += (known.empty() ? "" : ", ") + ph.name;
        for (auto it = repeats.begin(); it != repeats.end(); ++it) {
            bool found = std::any_of(model.phases().begin(), model.phases().end(),
                                     [&](const ModelPhase& p) { return p.name == it.key(); });
            if (!found)
                throw Error(where + ".phases." + it.key() + ": plugin '" + plugin.id() + "' has no phase '" + it.key() +
                            "' (its phases: " + known + ")");
        }
        // Epochs count batches drawn: a phase without data (a GAN's generator step) draws none.
        int64_t calls_per_iteration = 0, batches_per_iteration = 0;
        for (const auto& ph : model.phases()) {
            int64_t n = repeats.contains(ph.name) ? repeats[ph.name].get<int64_t>() : 1;
            if (n > 0) schedule.push_back({ph, n});
            calls_per_iteration += n;
            if (ph.uses_data) batches_per_iteration += n;
        }
        if (calls_per_iteration == 0) throw Error(where + ".phases: every phase repeats 0 times: nothing would train");

        if (s.contains("steps") && !s["steps"].is_null()) {
            total = s["steps"].get<int64_t>();
        } else {
            if (batches_per_iteration == 0)
                throw Error(where + ": no scheduled phase of plugin '" + plugin.id() +
                            "' draws training data, so epochs mean nothing: give train.steps");
            double epochs = s.contains("epochs") && !s["epochs"].is_null() ? s["epochs"].get<double>() : 1.0;
            const double steps =
                std::ceil(epochs * static_cast<double>(data.batches_per_epoch()) / static_cast<double>(batches_per_iteration));
            // Cast unchecked, a count beyond int64 would wrap negative.
            if (!(steps <= static_cast<double>(kMaxSteps)))
                throw Error(where + ".epochs: " + s["epochs"].dump() + " epochs make " + std::to_string(steps) +
                            " steps; a run counts at most " + std::to_string(kMaxSteps));
            total = static_cast<int64_t>(steps);
        }
        if (total > kMaxSteps)
            throw Error(where + ".steps: " + std::to_string(total) + " is more than the " + std::to_string(kMaxSteps) +
                        " steps a run counts");
    }

    // train.ema: the EMA options, and `groups`, the parameter groups to average (default:
    // all; a GAN averages only its generator: the discriminator's average is never used).
    void configure_ema(nlohmann::json ema, const std::string& where) {
        const auto known = model.groups();
        std::vector<std::string> chosen = known;
        if (ema.contains("groups")) {
            const nlohmann::json g = ema["groups"];
            ema.erase("groups");
            std::string names;
            for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
            if (!g.is_array() || g.empty() || !std::all_of(g.begin(), g.end(), [](const auto& x) { return x.is_string(); }))
                throw Error(where + ".groups: expected a non-empty list of parameter group names (plugin '" +
                            plugin.id() + "' has: " + names + ")");
            chosen.clear();
            for (const auto& x : g) {
                const std::string name = x.get<std::string>();
                if (std::find(known.begin(), known.end(), name) == known.end())
                    throw Error(where + ".groups: plugin '" + plugin.id() + "' has no parameter group '" + name +
                                "' (its groups: " + names + ")");
                if (std::find(chosen.begin(), chosen.end(), name) == chosen.end()) chosen.push_back(name);
            }
        }
        EmaOptions options = make_ema_options(to_options(ema, where), where);
        for (const auto& g : chosen) emas[g] = std::make_unique<Ema>(g, model.slots(g), options);
    }

    void configure_optimizers(const nlohmann::json& s, const std::string& where) {
        const auto groups = model.groups();
        const nlohmann::json per_group = s.value("optimizers", nlohmann::json::object());
        for (auto it = per_group.begin(); it != per_group.end(); ++it)
            if (std::find(groups.begin(), groups.end(), it.key()) == groups.end())
                throw Error(where + ".optimizers." + it.key() + ": plugin '" + plugin.id() + "' has no parameter group '" +
                            it.key() + "'");
        for (const auto& g : groups) {
            const bool own = per_group.contains(g);
            const nlohmann::json& o = own ? per_group[g] : s.at("optimizer");
            const std::string at = where + (own ? ".optimizers." + g : ".optimizer");
            if (!o.is_object() || !o.contains("type") || !o["type"].is_string())
                throw Error(at + ": needs a type, e.g. {type: adam, lr: 1e-3} (" + optimizer_types() + ")");
            optimizers[g] = make_optimizer(o["type"].get<std::string>(), to_options(o, at), g, model.slots(g), at);
            LrSchedule lr;
            if (s.contains("lr_schedule") && !s["lr_schedule"].is_null()) {
                nlohmann::json ls = s["lr_schedule"];
                if (!ls.contains("type") || !ls["type"].is_string())
                    throw Error(where + ".lr_schedule: needs a type (" + lr_schedule_types() + ")");
                // The schedule counts this group's optimizer steps: `repeats` per iteration.
                int64_t group_steps_per_iteration = 0;
                for (const auto& run : this->schedule)
                    if (run.phase.group == g) group_steps_per_iteration += run.repeats;
                if ((ls["type"] == "cosine" || ls["type"] == "linear_decay") && !ls.contains("total_steps"))
                    ls["total_steps"] = total * std::max<int64_t>(1, group_steps_per_iteration);
                const std::string type = ls["type"].get<std::string>();
                ls.erase("type");
                lr = make_lr_schedule(type, to_options(ls, where + ".lr_schedule"), where + ".lr_schedule");
            }
            lr_schedules[g] = lr;
        }
    }

    static void check_finite(const std::vector<float>& losses, const ModelPhase& ph, const std::string& where) {
        for (size_t i = 0; i < losses.size(); ++i)
            if (!std::isfinite(losses[i]))
                throw Error(where + ": loss '" + ph.losses[i] + "' is " + (std::isnan(losses[i]) ? "NaN" : "infinite") +
                            "; training stopped, the last good checkpoint (if any) is kept. Try a lower learning rate "
                            "or train.grad_clip");
    }

    RunState run_state() const {
        RunState r{&model, {}, {}};
        for (const auto& [g, o] : optimizers) r.optimizers.push_back(o.get());
        for (const auto& [g, e] : emas) r.emas.push_back(e.get());
        for (const auto& run : schedule)  // bounds a checkpoint's epoch; a phase without data draws none
            if (run.phase.uses_data) r.batches_per_step += run.repeats;
        return r;
    }

    void save(int64_t step) const {
        if (!writes) return;
        auto metadata = config.metadata;
        metadata["trainer.step"] = std::to_string(step);
        metadata["trainer.processes"] = std::to_string(dist::world().size);
        metadata["data.global_batch"] = std::to_string(global_batch());
        save_run_checkpoint((config.output / "checkpoint.safetensors").string(), run_state(),
                            {step, data.epoch(), data.index()}, metadata);
    }

    int64_t global_batch() const { return data.options().batch_size * data.options().shard_count; }

    // One phase call on one batch: gradients in, optimizer step out.
    void run_phase(const PhaseRun& run, int64_t step, int64_t repeat, std::vector<double>& loss_sums,
                   size_t loss_offset, std::map<std::string, double>& grad_norms, int64_t& images) {
        const ModelPhase& ph = run.phase;
        // A phase without data (GENHOST_PHASE_NO_DATA) takes no batch, so it moves neither
        // the epoch nor the resume position; it is told only how many examples to make.
        data::Batch b, b2;
        if (ph.uses_data) b = data.next();
        if (ph.uses_data && config.data_b) b2 = config.data_b->next();
        std::vector<int64_t> shape = {b.size, b.channels, b.height, b.width};
        DLTensor x = make_dltensor(b.images.data(), shape);
        std::vector<int64_t> label_shape = {b.size};
        DLTensor y = make_dltensor(b.labels.data(), label_shape);
        // Seeds: the call's from the run seed, step and phase; example i's from the call's
        // and i's place in the global batch, so per-example noise does not depend on how
        // many processes share the batch. The call's own seed then differs per process.
        const uint64_t call_seed = data::derive_seed(data::derive_seed(config.seed, static_cast<uint64_t>(step)),
                                                     (static_cast<uint64_t>(ph.index) << 32) | static_cast<uint64_t>(repeat));
        const dist::World& world = dist::world();
        const uint64_t seed = world.parallel() ? data::derive_seed(call_seed, kRankSeeds + static_cast<uint64_t>(world.rank))
                                               : call_seed;
        const int64_t size = ph.uses_data ? b.size : data.options().batch_size;
        const uint64_t rows_seed = data::derive_seed(call_seed, kRowSeeds);
        const int64_t first_row = static_cast<int64_t>(world.rank) * data.options().batch_size;
        row_seeds.resize(static_cast<size_t>(size));
        for (int64_t i = 0; i < size; ++i)
            row_seeds[static_cast<size_t>(i)] = data::derive_seed(rows_seed, static_cast<uint64_t>(first_row + i));
        std::vector<int64_t> seeds_shape = {size};
        DLTensor seeds = make_dltensor(row_seeds.data(), seeds_shape);
        std::vector<int64_t> shape_b = {b2.size, b2.channels, b2.height, b2.width}, label_shape_b = {b2.size};
        DLTensor x_b = make_dltensor(b2.images.data(), shape_b);
        DLTensor y_b = make_dltensor(b2.labels.data(), label_shape_b);
        const bool two = ph.uses_data && config.data_b;
        genhost_batch batch{sizeof(genhost_batch), ph.uses_data ? &x : nullptr,
                            ph.uses_data && !b.labels.empty() ? &y : nullptr, static_cast<uint64_t>(step), seed, size,
                            &seeds, two ? &x_b : nullptr, two && !b2.labels.empty() ? &y_b : nullptr};

        model.zero_grads(ph.group);
        std::vector<float> losses(ph.losses.size(), 0.0f);
        // A rank whose share of an epoch's short last batch is empty computes nothing and
        // adds zero to the combined gradients.
        if (size > 0)
            plugin.check(api->train_phase(plugin.raw(), ph.index, &batch, losses.data()), "train_phase '" + ph.name + "'");
        // Messages number steps from 1, as train_log.csv and checkpoints count completed steps
        // (batch.step, from 0, is one less).
        const std::string where = "step " + std::to_string(step + 1) + ", phase " + ph.name +
                                  (run.repeats > 1 ? " (" + std::to_string(repeat + 1) + " of " +
                                                         std::to_string(run.repeats) + ")" : std::string());
        // The optimizer holds the group's slots: the same views, built once.
        const std::vector<ParamSlot>& slots = optimizers.at(ph.group)->params();
        if (parallel.active()) {
            // Each rank reports its own failure (the others cannot see it), then all stop together.
            bool failed = false;
            try {
                check_finite(losses, ph, where);
                check_finite_grads(slots, where);
            } catch (const Error& e) {
                std::cerr << "genhost: error: " << dist::rank_prefix() << e.what() << std::endl;
                failed = true;
            }
            const DataParallel::Combined c = parallel.combine(slots, losses.data(), losses.size(), size, failed,
                                                              stop_requested());
            if (!c.failed_ranks.empty()) {
                std::string ranks;
                for (int r : c.failed_ranks) ranks += (ranks.empty() ? "" : ", ") + std::to_string(r);
                throw dist::CollectiveError(where + ": rank " + ranks + " of " + std::to_string(world.size) +
                                            " computed a non-finite loss or gradient (its message is above); "
                                            "training stopped, the last good checkpoint (if any) is kept",
                                            world.root());
            }
            stop_all = stop_all || c.stop;
            images += static_cast<int64_t>(c.rows);
        } else {
            check_finite(losses, ph, where);
            check_finite_grads(slots, where);
            images += ph.uses_data ? b.size : 0;
        }
        for (size_t i = 0; i < losses.size(); ++i) loss_sums[loss_offset + i] += losses[i];
        grad_norms[ph.group] = grad_clip > 0 ? clip_grad_norm(slots, grad_clip).total_norm : grad_norm(slots);
        Optimizer& opt = *optimizers.at(ph.group);
        opt.set_lr(lr_at(lr_schedules.at(ph.group), opt.base_lr(), opt.step_count()));
        opt.step();
        if (api->after_update) plugin.check(api->after_update(plugin.raw(), ph.index), "after_update '" + ph.name + "'");
        if (auto e = emas.find(ph.group); e != emas.end()) e->second->update();
    }

    // The batch to continue at. A checkpoint written with another global batch (another
    // number of processes) continues at the same example of the epoch, rounded down to a
    // batch start: steps, learning rates and EMA go on unchanged, only the batch grows
    // or shrinks (the usual rule is to scale the learning rate with it: docs/distributed.md).
    int64_t resumed_batch(const fs::path& checkpoint, int64_t batch) const {
        const auto meta = read_checkpoint_metadata(checkpoint.string());
        const auto it = meta.find("data.global_batch");
        if (it == meta.end()) return batch;  // written before data parallelism: one process
        int64_t old_global = 0;
        try {
            old_global = std::stoll(it->second);
        } catch (const std::exception&) {
        }
        if (old_global <= 0)
            throw Error(checkpoint.string() + ": metadata data.global_batch is '" + it->second +
                        "', not a batch size; the checkpoint is damaged");
        if (old_global == global_batch()) return batch;
        const int64_t example = batch * old_global;
        const int64_t moved = std::min(example / global_batch(), data.batches_per_epoch() - 1);
        if (writes && !config.quiet) {
            const auto procs = meta.find("trainer.processes");
            std::cout << "resume: the checkpoint was written with a global batch of " << old_global << " ("
                      << (procs == meta.end() ? std::string("?") : procs->second) << " process(es)); this run has "
                      << global_batch() << " (" << dist::world().size << "): the epoch continues at example "
                      << moved * global_batch() << " instead of " << example
                      << ", steps and learning rates go on unchanged" << std::endl;
        }
        return moved;
    }

    TrainResult run() {
        const fs::path checkpoint = config.output / "checkpoint.safetensors";
        int64_t step = 0;
        if (config.resume) {
            if (!fs::exists(checkpoint))
                throw Error("--resume: there is no checkpoint to resume at " + checkpoint.string() +
                            "; run without --resume to start afresh");
            TrainPosition p = load_run_checkpoint(checkpoint.string(), run_state(), plugin.id());
            step = p.step;
            data.seek(p.epoch, resumed_batch(checkpoint, p.batch));
            if (config.data_b) {  // domain b drew as many batches as a did
                const int64_t drawn = data.epoch() * data.batches_per_epoch() + data.index();
                config.data_b->seek(drawn / config.data_b->batches_per_epoch(), drawn % config.data_b->batches_per_epoch());
            }
        }
        parallel.broadcast_state();
        TrainResult result;
        const int64_t first = step;

        // train_log.csv: one column per phase loss, then learning rates and gradient norms.
        std::vector<std::string> columns = {"step", "epoch"};
        std::vector<size_t> offsets;
        for (const auto& r : schedule) {
            offsets.push_back(columns.size() - 2);
            for (const auto& l : r.phase.losses) columns.push_back(r.phase.name + "." + l);
        }
        const size_t loss_count = columns.size() - 2;
        const auto groups = model.groups();
        for (const auto& g : groups) columns.push_back(groups.size() == 1 ? "lr" : "lr." + g);
        for (const auto& g : groups) columns.push_back(groups.size() == 1 ? "grad_norm" : "grad_norm." + g);
        columns.insert(columns.end(), {"images_per_s", "seconds"});
        const bool evaluates = config.evaluate_every > 0 && config.on_evaluate;
        if (evaluates) columns.insert(columns.end(), config.evaluate_columns.begin(), config.evaluate_columns.end());
        const fs::path log_path = config.output / "train_log.csv";
        const bool append = config.resume && fs::exists(log_path);
        std::ofstream log;
        if (writes) open_log(log, log_path, append, step, columns);
        run_loop(step, first, log, offsets, loss_count, groups, evaluates, checkpoint, result);
        return result;
    }

    void open_log(std::ofstream& log, const fs::path& log_path, bool append, int64_t step,
                  const std::vector<std::string>& columns) {
        if (append) {
            // A killed run may have logged steps after its last checkpoint; the resumed run
            // repeats them, so drop those rows rather than have them twice.
            std::ifstream in(log_path);
            std::string kept, line;
            for (bool header = true; std::getline(in, line); header = false)
                if (header || (!line.empty() && std::stoll(line.substr(0, line.find(','))) <= step)) kept += line + "\n";
            checkpoint::write_text_atomic(log_path.string(), kept);
        }
        log.open(log_path, append ? std::ios::app : std::ios::trunc);
        if (!log) throw Error(log_path.string() + ": cannot write the training log");
        if (!append) {
            for (size_t i = 0; i < columns.size(); ++i) log << (i ? "," : "") << columns[i];
            log << "\n";
        }
    }

    void run_loop(int64_t step, int64_t first, std::ofstream& log, const std::vector<size_t>& offsets,
                  size_t loss_count, const std::vector<std::string>& groups, bool evaluates, const fs::path& checkpoint,
                  TrainResult& result) {
        Progress progress("train", total, log_every, config.quiet || !writes);
        std::vector<double> sums(loss_count, 0.0);
        std::map<std::string, double> grad_norms;
        int64_t images = 0, interval_steps = 0;
        double interval_start = 0;
        StopSignalScope handle_stop;  // SIGINT/SIGTERM: finish the step, checkpoint, throw StopRequested
        while (step < total) {
            for (size_t r = 0; r < schedule.size(); ++r)
                for (int64_t k = 0; k < schedule[r].repeats; ++k)
                    run_phase(schedule[r], step, k, sums, offsets[r], grad_norms, images);
            ++step, ++interval_steps;
            const bool last = step == total;
            const bool evaluate_now = evaluates && (step % config.evaluate_every == 0 || last);
            if (step % log_every == 0 || last || evaluate_now) {
                const double now = progress.seconds();
                const double rate = static_cast<double>(images) / std::max(1e-9, now - interval_start);
                std::ostringstream row, status;
                row << step << "," << data.last_epoch();  // the epoch this step trained on
                status << "epoch " << data.last_epoch();
                size_t c = 0;
                for (const auto& run : schedule)
                    for (int64_t i = 0; i < static_cast<int64_t>(run.phase.losses.size()); ++i, ++c) {
                        double mean = sums[c] / static_cast<double>(interval_steps * run.repeats);
                        row << "," << mean;
                        status << "  " << run.phase.losses[i] << " " << std::setprecision(4) << mean;
                        result.last_losses[run.phase.name + "." + run.phase.losses[i]] = mean;
                    }
                for (const auto& g : groups) row << "," << optimizers.at(g)->lr();
                for (const auto& g : groups) row << "," << grad_norms[g];
                row << "," << std::setprecision(6) << rate << "," << now;
                if (evaluates) {
                    std::vector<double> values;
                    if (evaluate_now) values = config.on_evaluate(step);
                    for (size_t i = 0; i < config.evaluate_columns.size(); ++i) {
                        row << ",";
                        if (i < values.size()) row << values[i], status << "  " << config.evaluate_columns[i] << " " << std::setprecision(4) << values[i];
                    }
                }
                if (writes) log << row.str() << "\n" << std::flush;
                status << "  " << static_cast<int64_t>(rate) << " img/s";
                progress.update(step, status.str());
                std::fill(sums.begin(), sums.end(), 0.0);
                images = 0, interval_steps = 0, interval_start = progress.seconds();  // evaluation time is not training time
            }
            const bool saved = (checkpoint_every > 0 && step % checkpoint_every == 0) || last;
            if (saved) save(step);
            if (sample_every > 0 && config.on_sample && (step % sample_every == 0 || last)) config.on_sample(step);
            if (parallel.active() ? stop_all : stop_requested()) {
                if (!saved) save(step);
                throw StopRequested(stop_signal(), "after step " + std::to_string(step) + " of " + std::to_string(total) +
                                                       "; checkpoint " + checkpoint.string() + " written");
            }
        }
        progress.finish("steps, checkpoint " + checkpoint.string());
        result.steps = step;
        result.steps_this_run = step - first;
        result.seconds = progress.seconds();
        result.allreduce_seconds = parallel.allreduce_seconds();
    }
};

Trainer::Trainer(const loader::PluginInstance& model, data::DataLoader& data, TrainerConfig config)
    : impl_(std::make_unique<Impl>(model, data, std::move(config))) {}
Trainer::~Trainer() = default;
TrainResult Trainer::run() { return impl_->run(); }

void Trainer::use_ema_weights() {
    if (impl_->ema_in_model) return;
    for (auto& [g, e] : impl_->emas) e->copy_to();
    impl_->ema_in_model = true;
}

}  // namespace genhost::train
