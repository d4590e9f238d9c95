// Exponential moving average of weights, for sampling from smoother weights:
//
//     shadow = shadow - (1 - d_t) * (shadow - value)      after every optimizer step
//
// d_t follows diffusers' EMAModel.get_decay, with t = updates so far (update_count()):
//
//     warmup none:   d_t = 0 while t <= update_after_step, then decay
//     warmup bias:   k = t - update_after_step - 1;  d_t = 0 if k <= 0, else (1 + k) / (10 + k)
//                    (diffusers' default, use_ema_warmup=False)
//     warmup power:  k as above;  d_t = 1 - (1 + k / inv_gamma)^-power   (use_ema_warmup=True)
//     then, for bias and power, d_t = clamp(d_t, min_decay, decay)
//
//     Ema ema("generator", gen_slots, options);   // shadow starts as a copy of the values
//     ... opt->step(); ema.update(); ...
//     ema.swap();  sample();  ema.swap();         // sample from the EMA weights, then restore
#pragma once

#include "train/option_map.hpp"
#include "train/param_slot.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::train {

namespace detail {
struct StateEntry;   // train/state_io.hpp
}

enum class EmaWarmup { none, bias, power };

struct EmaOptions {
    double       decay             = 0.9999;   // the (largest) decay, in [0, 1]
    double       min_decay         = 0.0;      // bias/power: lower bound of d_t
    std::int64_t update_after_step = 0;        // updates that only copy the weights (d_t = 0)
    EmaWarmup    warmup            = EmaWarmup::none;
    double       inv_gamma         = 1.0;      // power: time scale of the warmup (> 0)
    double       power             = 2.0 / 3.0;// power: 2/3 for ~1M-step runs, 3/4 for shorter ones
};

class Ema {
public:
    // Keeps its own copy of the values (the shadow). `name` keys the saved state
    // ("ema.<name>.<param>"). Throws genhost::Error on invalid options or slots.
    Ema(std::string name, std::vector<ParamSlot> params, const EmaOptions& options);

    double decay_at(std::int64_t update) const;   // d_t for the update-th update (1-based)
    void   update();                              // folds the current values into the shadow
    void   copy_to() const;                       // values = shadow
    void   swap();                                // exchanges values and shadow; twice restores

    std::int64_t       update_count() const { return updates_; }
    const float*       shadow(std::size_t param) const { return shadow_[param].data(); }
    const EmaOptions&  options() const { return options_; }

    // "ema.<name>.step" (scalar) and "ema.<name>.<param>"; import is all or nothing and
    // ignores tensors outside "ema.<name>.", like Optimizer::import_state.
    std::vector<NamedTensor> export_state() const;
    void import_state(const std::vector<NamedTensor>& tensors, std::string_view source = {});

private:
    std::vector<detail::StateEntry> entries(float* step_value);
    std::string owner() const { return "EMA '" + name_ + "'"; }

    std::string                     name_;
    std::vector<ParamSlot>          params_;
    std::vector<std::vector<float>> shadow_;
    EmaOptions                      options_;
    std::int64_t                    updates_ = 0;
};

// From the pipeline's `ema:` map: decay, min_decay, update_after_step, warmup
// (none | bias | power), inv_gamma, power. Throws genhost::Error on unknown keys or bad values.
EmaOptions make_ema_options(const OptionMap& options, std::string_view where);

}  // namespace genhost::train
