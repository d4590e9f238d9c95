// A training run's checkpoint: everything needed to continue exactly where it stopped,
// in one safetensors file that PyTorch and the safetensors package can open.
//
// Tensors:   model.<param>              every parameter and buffer (F32, its own shape)
//            optimizer.<group>.*        each group's optimizer state (train/optimizer.hpp)
//            ema.<group>.*              each group's EMA weights and step (train/ema.hpp)
//            trainer.step, trainer.epoch, trainer.batch   (I64 scalars) where to go on
// Metadata:  genhost.format "genhost-checkpoint/1", genhost.version, plugin.id,
//            plugin.version, plugin.params (JSON), data (JSON), pipeline (YAML)
// No randomness state is saved: the host derives every seed from the run seed and the
// step, so the position alone makes a resumed run repeat an uninterrupted one exactly.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "train/ema.hpp"
#include "train/model_state.hpp"
#include "train/optimizer.hpp"

namespace genhost::train {

struct TrainPosition {
    int64_t step = 0;   // iterations of the phase schedule completed
    int64_t epoch = 0;  // where the data loader continues
    int64_t batch = 0;
};

struct RunState {
    const ModelState* model = nullptr;
    std::vector<Optimizer*> optimizers;
    std::vector<Ema*> emas;
    int64_t batches_per_step = 0;  // the most batches one step draws; 0: unknown (epoch not checked)
};

// Writes the checkpoint atomically (the previous file survives a kill at any moment).
void save_run_checkpoint(const std::string& path, const RunState& state, const TrainPosition& position,
                         const std::map<std::string, std::string>& metadata);

// Restores every tensor of `state` from `path`; throws genhost::Error naming the file and
// the tensor when anything is missing, mis-shaped or not finite (NaN, infinity), when the
// position is impossible (a negative step, more epochs than batches drawn), or when the
// checkpoint was written by another plugin. Nothing changes unless everything is right.
// Returns where to continue.
TrainPosition load_run_checkpoint(const std::string& path, const RunState& state, const std::string& plugin_id);

// Loads only the model's weights (EMA weights when present and `prefer_ema`), for
// `model.checkpoint`, refusing NaN or infinite ones as above. Returns the checkpoint's metadata.
std::map<std::string, std::string> load_model_weights(const std::string& path, const ModelState& model,
                                                      const std::string& plugin_id, bool prefer_ema);

// The metadata alone (cheap: reads the whole file, but keeps nothing else).
std::map<std::string, std::string> read_checkpoint_metadata(const std::string& path);

}  // namespace genhost::train
