// RMSprop, as torch.optim.RMSprop:
//
//     g = grad + weight_decay * p
//     s = alpha * s + (1 - alpha) * g * g                 state "square_avg"
//     a = alpha * a + (1 - alpha) * g  (centered)         state "grad_avg"
//     d = sqrt(s - a * a) (centered) or sqrt(s), then d = d + eps
//     b = momentum * b + g / d; p = p - lr * b   (momentum > 0, state "momentum_buffer")
//     p = p - lr * g / d                         (momentum == 0)
#pragma once

#include "train/optimizer.hpp"

namespace genhost::train {

struct RmspropOptions {
    double lr           = 1e-2;
    double alpha        = 0.99;   // decay of the squared-gradient average
    double eps          = 1e-8;   // added to the root, after the sqrt
    double weight_decay = 0.0;    // L2 added to the gradient
    double momentum     = 0.0;
    bool   centered     = false;  // divide by the estimated variance instead of the raw second moment
    bool   maximize     = false;
};

class Rmsprop final : public Optimizer {
public:
    // Throws genhost::Error on invalid options or slots.
    Rmsprop(std::string group, std::vector<ParamSlot> params, const RmspropOptions& options);
    const RmspropOptions& options() const { return options_; }

private:
    void update(std::size_t param, std::int64_t step) override;
    RmspropOptions options_;
    std::size_t square_avg_ = 0, grad_avg_ = 0, momentum_buffer_ = 0;
};

}  // namespace genhost::train
