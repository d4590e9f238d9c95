// The optimizer interface: one object per parameter group, owning that group's state.
//
//     std::vector<ParamSlot> gen = ...;                        // from the generator plugin
//     auto opt = make_optimizer("adam", {{"lr", 2e-4}, {"betas", std::vector<double>{0.5, 0.999}}},
//                               "generator", gen, "gan.yaml, train.optimizer");
//     for (std::int64_t t = opt->step_count(); t < total; ++t) {
//         ... plugin writes gradients into gen[i].grad ...
//         opt->set_lr(lr_at(schedule, opt->base_lr(), t));   // schedules are pure: resume needs nothing
//         opt->step();
//     }
//     save(opt->export_state());                              // "optimizer.generator.exp_avg.<param>", ...
//     opt->import_state(load(path), path);                    // all or nothing; then continue
//
// Semantics are torch.optim's (1.13, foreach=False) to float rounding; see docs/optimizers.md.
// An optimizer run that is exported, imported into a fresh optimizer and continued gives
// bit-identical parameters to an uninterrupted run.
//
// Thread rule: not thread-safe; one thread calls step() while nobody else touches the
// group's values or gradients.
#pragma once

#include "train/param_slot.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::train {

namespace detail {
struct StateEntry;   // train/state_io.hpp
}

class Optimizer {
public:
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&)            = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // One update of every parameter from its gradient at learning rate lr(); then step_count()+1.
    void step();

    double                        lr()         const { return lr_; }        // used by the next step()
    double                        base_lr()    const { return base_lr_; }   // the configured lr
    void                          set_lr(double lr);                        // throws unless finite, >= 0
    std::int64_t                  step_count() const { return step_; }      // updates done so far
    const std::string&            group()      const { return group_; }
    const std::vector<ParamSlot>& params()     const { return params_; }
    const std::string&            type()       const { return type_; }      // "adam", "sgd", ...

    // "optimizer.<group>.step" (scalar) and "optimizer.<group>.<state>.<param>" for each
    // state buffer, with torch's state names (exp_avg, momentum_buffer, square_avg, ...).
    std::vector<NamedTensor> export_state() const;
    // Restores what export_state() wrote; ignores tensors outside "optimizer.<group>.".
    // Throws genhost::Error naming `source` (the checkpoint file) and the tensor when
    // anything is missing, extra or the wrong size; on error nothing has changed.
    void import_state(const std::vector<NamedTensor>& tensors, std::string_view source = {});

protected:
    // Throws genhost::Error if the slots are invalid (validate_slots) or lr is not finite, >= 0.
    Optimizer(std::string type, std::string group, std::vector<ParamSlot> params, double lr);

    // Adds a zero-filled buffer of the parameter's size per parameter, exported as
    // "<name>.<param>"; returns its index for state(). Call from the constructor.
    std::size_t add_state(const std::string& name);
    float*      state(std::size_t buffer, std::size_t param) { return buffers_[buffer].data[param].data(); }

    // Updates params()[param]; `step` counts from 1 (torch increments before updating).
    virtual void update(std::size_t param, std::int64_t step) = 0;

    // "adam optimizer of group 'generator'", for messages.
    std::string owner() const;

private:
    struct Buffer {
        std::string                     name;
        std::vector<std::vector<float>> data;   // one per parameter
    };
    std::vector<detail::StateEntry> entries(float* step_value);

    std::string            type_;
    std::string            group_;
    std::vector<ParamSlot> params_;
    std::vector<Buffer>    buffers_;
    double                 base_lr_;
    double                 lr_;
    std::int64_t           step_ = 0;
};

}  // namespace genhost::train
