// Stochastic gradient descent with momentum, as torch.optim.SGD:
//
//     g = grad + weight_decay * p                   (maximize: g = -grad + ...)
//     b = g                               at step 1
//     b = momentum * b + (1 - dampening) * g        later
//     g = nesterov ? g + momentum * b : b           (if momentum != 0)
//     p = p - lr * g
#pragma once

#include "train/optimizer.hpp"

namespace genhost::train {

struct SgdOptions {
    double lr           = 1e-3;   // torch 1.13 requires lr; 1e-3 is torch 2.x's default
    double momentum     = 0.0;    // 0: plain SGD, no state
    double dampening    = 0.0;
    double weight_decay = 0.0;    // L2 penalty added to the gradient
    bool   nesterov     = false;  // needs momentum > 0 and dampening == 0
    bool   maximize     = false;  // ascend instead of descend
};

class Sgd final : public Optimizer {
public:
    // Throws genhost::Error on invalid options or slots.
    Sgd(std::string group, std::vector<ParamSlot> params, const SgdOptions& options);
    const SgdOptions& options() const { return options_; }

private:
    void update(std::size_t param, std::int64_t step) override;
    SgdOptions  options_;
    std::size_t momentum_buffer_ = 0;
};

}  // namespace genhost::train
