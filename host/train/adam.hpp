// Adam and AdamW, as torch.optim.Adam / torch.optim.AdamW:
//
//     Adam:  g = grad + weight_decay * p            (L2 penalty through the moments)
//     AdamW: p = p * (1 - lr * weight_decay); g = grad   (decoupled decay)
//     m = beta1 * m + (1 - beta1) * g                          state "exp_avg"
//     v = beta2 * v + (1 - beta2) * g * g                      state "exp_avg_sq"
//     v_max = max(v_max, v)   (amsgrad; used instead of v)     state "max_exp_avg_sq"
//     p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
#pragma once

#include "train/optimizer.hpp"

namespace genhost::train {

struct AdamOptions {
    double lr           = 1e-3;
    double beta1        = 0.9;    // betas[0]: decay of the gradient average
    double beta2        = 0.999;  // betas[1]: decay of the squared-gradient average
    double eps          = 1e-8;   // added to sqrt(v), keeps the step bounded
    double weight_decay = 0.0;    // Adam: L2 added to the gradient; AdamW: decoupled
    bool   amsgrad      = false;
    bool   maximize     = false;
    bool   decoupled_weight_decay = false;   // true: AdamW
};

// torch's AdamW defaults: Adam's with decoupled decay 1e-2.
inline AdamOptions adamw_default_options() {
    AdamOptions o;
    o.weight_decay           = 1e-2;
    o.decoupled_weight_decay = true;
    return o;
}

class Adam final : public Optimizer {
public:
    // type() is "adamw" when options.decoupled_weight_decay, else "adam".
    // Throws genhost::Error on invalid options or slots.
    Adam(std::string group, std::vector<ParamSlot> params, const AdamOptions& options);
    const AdamOptions& options() const { return options_; }

private:
    void update(std::size_t param, std::int64_t step) override;
    AdamOptions options_;
    std::size_t exp_avg_ = 0, exp_avg_sq_ = 0, max_exp_avg_sq_ = 0;
};

}  // namespace genhost::train
