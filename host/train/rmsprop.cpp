#include "train/rmsprop.hpp"

#include "train/option_check.hpp"

#include <cmath>

namespace genhost::train {

Rmsprop::Rmsprop(std::string group, std::vector<ParamSlot> params, const RmspropOptions& o)
    : Optimizer("rmsprop", std::move(group), std::move(params), o.lr), options_(o) {
    detail::require(o.alpha >= 0.0 && o.alpha <= 1.0, owner(), "alpha", o.alpha, "in [0, 1]");
    detail::require(o.eps >= 0.0, owner(), "eps", o.eps, ">= 0");
    detail::require(o.weight_decay >= 0.0, owner(), "weight_decay", o.weight_decay, ">= 0");
    detail::require(o.momentum >= 0.0, owner(), "momentum", o.momentum, ">= 0");
    square_avg_ = add_state("square_avg");
    if (o.momentum > 0.0) momentum_buffer_ = add_state("momentum_buffer");
    if (o.centered) grad_avg_ = add_state("grad_avg");
}

namespace {

struct RmspropScalars {
    float sign, wd, alpha, one_minus_alpha, eps, momentum, neg_lr;
};

template <bool kCentered, bool kMomentum>
void rmsprop_kernel(std::size_t n, float* __restrict p, const float* __restrict grad, float* __restrict sq,
                    float* __restrict ga, float* __restrict buf, const RmspropScalars& s) {
    for (std::size_t i = 0; i < n; ++i) {
        const float g  = s.sign * grad[i] + s.wd * p[i];
        const float si = sq[i] * s.alpha + s.one_minus_alpha * g * g;
        sq[i] = si;
        float avg;
        if (kCentered) {
            const float ai = ga[i] * s.alpha + s.one_minus_alpha * g;
            ga[i] = ai;
            avg   = std::sqrt(si - ai * ai);
        } else {
            avg = std::sqrt(si);
        }
        avg = avg + s.eps;
        if (kMomentum) {
            const float bi = buf[i] * s.momentum + g / avg;
            buf[i] = bi;
            p[i]   = p[i] + s.neg_lr * bi;
        } else {
            p[i] = p[i] + s.neg_lr * (g / avg);
        }
    }
}

}  // namespace

void Rmsprop::update(std::size_t index, std::int64_t /*step*/) {
    const ParamSlot& slot   = params()[index];
    const RmspropOptions& o = options_;
    RmspropScalars s{};
    s.sign            = o.maximize ? -1.0f : 1.0f;
    s.wd              = static_cast<float>(o.weight_decay);
    s.alpha           = static_cast<float>(o.alpha);
    s.one_minus_alpha = static_cast<float>(1.0 - o.alpha);
    s.eps             = static_cast<float>(o.eps);
    s.momentum        = static_cast<float>(o.momentum);
    s.neg_lr          = static_cast<float>(-lr());

    float* sq  = state(square_avg_, index);
    float* ga  = o.centered ? state(grad_avg_, index) : nullptr;
    float* buf = o.momentum > 0.0 ? state(momentum_buffer_, index) : nullptr;
    const std::size_t n = slot.size;
    const bool centered = o.centered, momentum = o.momentum > 0.0;
    if (centered && momentum)  rmsprop_kernel<true, true>(n, slot.value, slot.grad, sq, ga, buf, s);
    else if (centered)         rmsprop_kernel<true, false>(n, slot.value, slot.grad, sq, ga, buf, s);
    else if (momentum)         rmsprop_kernel<false, true>(n, slot.value, slot.grad, sq, ga, buf, s);
    else                       rmsprop_kernel<false, false>(n, slot.value, slot.grad, sq, ga, buf, s);
}

}  // namespace genhost::train
