// Finding the first NaN or infinity among a group's gradients, so a diverging run stops
// with the parameter's name instead of a page of NaN losses:
//
//     check_finite_grads(disc_slots, 1200, "discriminator");
//     // genhost::Error: step 1200, phase discriminator: gradient of 'disc.fc2.weight' is NaN
//     //                 (element 17 of 4096); ...
#pragma once

#include "train/param_slot.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::train {

struct NonFinite {
    std::string param;        // the slot's name
    std::size_t index = 0;    // element within the slot
    std::size_t size  = 0;    // the slot's size
    float       value = 0.0f; // NaN, +inf or -inf
};

// The first non-finite gradient element in slot order, or nullopt. Scans at memory speed.
std::optional<NonFinite> find_nonfinite_grad(const std::vector<ParamSlot>& params);
// The same over the values (e.g. after loading a checkpoint or an EMA swap).
std::optional<NonFinite> find_nonfinite_value(const std::vector<ParamSlot>& params);

// "gradient of 'disc.fc2.weight' is NaN (element 17 of 4096)"; `what` is "gradient" or "value".
std::string describe(const NonFinite& bad, std::string_view what = "gradient");

// Throws genhost::Error "step <step>, phase <phase>: <describe>; <advice>" if any gradient
// is non-finite.
void check_finite_grads(const std::vector<ParamSlot>& params, std::int64_t step, std::string_view phase);
// The same with the place given whole: "<where>: <describe>; <advice>" (the trainer says
// "step 10, phase critic (3 of 5)").
void check_finite_grads(const std::vector<ParamSlot>& params, std::string_view where);

}  // namespace genhost::train
