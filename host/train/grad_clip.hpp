// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_:
//
//     total = || (||g_1||_p, ||g_2||_p, ...) ||_p      (= the p-norm of all gradients as one vector)
//     if total > max_norm: every g *= max_norm / (total + 1e-6)
//
// Unlike torch (error_if_nonfinite=False), a NaN or infinite total is reported and the
// gradients are left alone: scaling by NaN would silently poison every weight.
#pragma once

#include "train/param_slot.hpp"

#include <vector>

namespace genhost::train {

struct ClipResult {
    double total_norm = 0.0;   // before clipping; what torch returns
    double scale      = 1.0;   // factor applied to the gradients (1: untouched)
    bool   finite     = true;  // false: total_norm is NaN or inf and nothing was scaled
};

// norm_type: 2 (default), any p >= 1, or INFINITY (max |g|). Sums are taken in double.
// Throws genhost::Error if max_norm is not finite and > 0 or norm_type is not >= 1.
ClipResult clip_grad_norm(const std::vector<ParamSlot>& params, double max_norm, double norm_type = 2.0);

// The same total norm, without clipping (for logging).
double grad_norm(const std::vector<ParamSlot>& params, double norm_type = 2.0);

}  // namespace genhost::train
