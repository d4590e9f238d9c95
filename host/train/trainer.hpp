// The training stage: every model's training loop, written once.
//
// One iteration runs the model's phases in order, each `repeats` times (the pipeline's
// `train.phases`, e.g. {discriminator: 5, generator: 1} for WGAN), each on a fresh batch
// (a phase flagged GENHOST_PHASE_NO_DATA takes none and gets only data.batch_size; epochs
// and the resume position count the batches drawn; with two data domains a batch of each):
//   zero the group's grads -> train_phase -> check losses and grads are finite ->
//   clip -> optimizer step (learning rate from the schedule) -> after_update -> EMA (of the
//   groups in train.ema.groups, default all).
// Every `log_every` iterations a row goes to train_log.csv and the progress line; every
// `checkpoint_every` iterations, and at the end, checkpoint.safetensors is replaced
// atomically; every `sample_every` iterations `on_sample(step)` draws progress images.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "data/loader.hpp"
#include "loader/instance.hpp"

namespace genhost::train {

struct TrainerConfig {
    nlohmann::json section;                          // the pipeline's `train:` section, validated
    std::string where;                               // "pipeline.yaml" for messages
    uint64_t seed = 0;                               // the run seed
    std::filesystem::path output;                    // the run directory
    bool resume = false;                             // continue from output/checkpoint.safetensors
    bool quiet = false;
    std::map<std::string, std::string> metadata;     // saved in every checkpoint
    std::function<void(int64_t step)> on_sample;     // may be empty
    // Two data domains (data.domains): domain b's loader, drawn once beside every batch of
    // `data` (domain a) and given to the phase as genhost_batch.images_b. Epochs and the
    // resume position count domain a's batches; b's position follows from them. May be null.
    data::DataLoader* data_b = nullptr;
    // Every `evaluate_every` steps (and at the end), `on_evaluate(step)` returns one value
    // per `evaluate_columns` name (e.g. FID), logged in train_log.csv's row of that step.
    int64_t evaluate_every = 0;
    std::vector<std::string> evaluate_columns;
    std::function<std::vector<double>(int64_t step)> on_evaluate;
};

struct TrainResult {
    int64_t steps = 0;           // iterations completed in total (including before a resume)
    int64_t steps_this_run = 0;
    double seconds = 0;
    double allreduce_seconds = 0;  // of `seconds`, time in data parallelism's allreduce
    std::map<std::string, double> last_losses;  // "<phase>.<loss>" -> last logged mean
};

class Trainer {
public:
    Trainer(const loader::PluginInstance& model, data::DataLoader& data, TrainerConfig config);
    ~Trainer();
    TrainResult run();
    // After run(): put the EMA weights into the model (no-op without EMA), for sampling.
    void use_ema_weights();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace genhost::train
