// A trainable plugin's parameters as the host sees them: named float buffers in groups,
// living in the plugin, written in place. Training, checkpoints and EMA swaps all go
// through this one view.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <genhost/genhost.h>

#include "train/param_slot.hpp"

namespace genhost::train {

struct ModelTensor {
    std::string name;
    std::string group;
    bool buffer = false;          // saved, not trained
    uint32_t reduce = 0;          // buffers: GENHOST_PARAMETER_REDUCE_MEAN or _SUM, else 0
    float* value = nullptr;       // owned by the plugin
    float* grad = nullptr;        // nullptr for buffers
    std::vector<int64_t> shape;
    size_t size = 0;
};

struct ModelPhase {
    uint32_t index = 0;
    std::string name;
    std::string group;
    std::vector<std::string> losses;
    bool uses_data = true;        // false: GENHOST_PHASE_NO_DATA (ABI 1.2), no batch drawn
};

class ModelState {
public:
    // Reads and checks the trainable extension's parameters and phases: float32 compact
    // tensors, unique names, grads shaped like values, every phase's group present.
    // `plugin_id` names the plugin in errors.
    ModelState(const genhost_trainable* trainable, const genhost_plugin* plugin, const std::string& plugin_id);

    const std::vector<ModelTensor>& tensors() const { return tensors_; }
    const std::vector<ModelPhase>& phases() const { return phases_; }
    std::vector<std::string> groups() const;            // in order of first appearance
    std::vector<ParamSlot> slots(const std::string& group) const;  // trained tensors of the group
    std::vector<ParamSlot> all_slots() const;
    void zero_grads(const std::string& group) const;
    size_t parameter_count() const;                     // trained floats, all groups

private:
    std::vector<ModelTensor> tensors_;
    std::vector<ModelPhase> phases_;
};

}  // namespace genhost::train
