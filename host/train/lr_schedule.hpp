// Learning-rate schedules as pure functions of the step: lr_at(schedule, base_lr, t) is
// the rate for the update that follows t completed updates (t = optimizer.step_count()).
// A resumed run therefore needs no schedule state. The curves are torch's:
//
//     constant       base_lr                                            LambdaLR(lambda t: 1)
//     linear_warmup  base_lr * min(1, t / warmup_steps)                 diffusers get_constant_schedule_with_warmup
//     cosine         t < warmup_steps: base_lr * t / warmup_steps       diffusers get_cosine_schedule_with_warmup
//                    then min_lr + (base_lr - min_lr) * (1 + cos(pi * u)) / 2,
//                    u = min(1, (t - warmup_steps) / (total_steps - warmup_steps))
//                    (no warmup: CosineAnnealingLR(T_max=total_steps, eta_min=min_lr))
//     step           base_lr * gamma^floor(t / step_size)               StepLR(step_size, gamma)
//     linear_decay   base_lr for t < constant_steps, then linearly to 0 at total_steps
//                    base_lr * (1 - min(1, (t - constant_steps) / (total_steps - constant_steps)))
//                                                                       LambdaLR (CycleGAN's "linear" policy)
//
// Differences from torch: past total_steps the cosine stays at min_lr (CosineAnnealingLR
// would rise again); warmup starts at 0 as in diffusers, so the first update does nothing
// to the weights (Adam's moments still see its gradient).
#pragma once

#include "train/option_map.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace genhost::train {

enum class LrScheduleType { constant, linear_warmup, cosine, step, linear_decay };

struct LrSchedule {
    LrScheduleType type         = LrScheduleType::constant;
    std::int64_t   warmup_steps = 0;     // linear_warmup (>= 1), cosine (>= 0)
    std::int64_t   total_steps  = 0;     // cosine: step at which the rate reaches min_lr (> warmup_steps);
                                         // linear_decay: step at which it reaches 0 (> constant_steps)
    std::int64_t   constant_steps = 0;   // linear_decay: steps at base_lr before the decay (>= 0)
    double         min_lr       = 0.0;   // cosine: final rate (eta_min)
    std::int64_t   step_size    = 1;     // step: updates between decays (>= 1)
    double         gamma        = 0.1;   // step: factor per decay
};

// Never throws; `step` < 0 is treated as 0. Use a schedule from make_lr_schedule or one
// that passes validate_lr_schedule.
double lr_at(const LrSchedule& schedule, double base_lr, std::int64_t step);

// Throws genhost::Error, prefixed by `where`, if the fields are out of range.
void validate_lr_schedule(const LrSchedule& schedule, std::string_view where);

// From the pipeline's `lr_schedule:` map: type constant | linear_warmup | cosine | step |
// linear_decay and the keys above (warmup_steps, total_steps, min_lr, step_size, gamma,
// constant_steps). Throws
// genhost::Error for an unknown type (listing the known ones), unknown or missing keys.
LrSchedule make_lr_schedule(std::string_view type, const OptionMap& options, std::string_view where);

// "constant, linear_warmup, cosine, step, linear_decay"
std::string lr_schedule_types();

}  // namespace genhost::train
