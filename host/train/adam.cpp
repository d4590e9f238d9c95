#include "train/adam.hpp"

#include "train/option_check.hpp"

#include <cmath>

namespace genhost::train {

Adam::Adam(std::string group, std::vector<ParamSlot> params, const AdamOptions& o)
    : Optimizer(o.decoupled_weight_decay ? "adamw" : "adam", std::move(group), std::move(params), o.lr),
      options_(o) {
    detail::require(o.beta1 >= 0.0 && o.beta1 < 1.0, owner(), "betas[0]", o.beta1, "in [0, 1)");
    detail::require(o.beta2 >= 0.0 && o.beta2 < 1.0, owner(), "betas[1]", o.beta2, "in [0, 1)");
    detail::require(o.eps >= 0.0, owner(), "eps", o.eps, ">= 0");
    detail::require(o.weight_decay >= 0.0, owner(), "weight_decay", o.weight_decay, ">= 0");
    exp_avg_    = add_state("exp_avg");
    exp_avg_sq_ = add_state("exp_avg_sq");
    if (o.amsgrad) max_exp_avg_sq_ = add_state("max_exp_avg_sq");
}

namespace {

struct AdamScalars {
    float sign, l2, decay, beta1, one_minus_beta1, beta2, one_minus_beta2, bc2_sqrt, eps, neg_step_size;
};

// One fused pass per parameter; the template flags keep the inner loop branch-free so it
// vectorizes. Each line is one torch op in torch's order.
template <bool kAmsgrad, bool kDecoupled>
void adam_kernel(std::size_t n, float* __restrict p, const float* __restrict grad, float* __restrict m,
                 float* __restrict v, float* __restrict v_max, const AdamScalars& s) {
    for (std::size_t i = 0; i < n; ++i) {
        float pi = p[i];
        float g  = s.sign * grad[i];
        if (kDecoupled) pi = pi * s.decay;
        else            g  = g + s.l2 * pi;
        const float mi = m[i] * s.beta1 + s.one_minus_beta1 * g;
        const float vi = v[i] * s.beta2 + s.one_minus_beta2 * g * g;
        m[i] = mi;
        v[i] = vi;
        float second = vi;
        if (kAmsgrad) {
            second   = vi > v_max[i] ? vi : v_max[i];
            v_max[i] = second;
        }
        const float denom = std::sqrt(second) / s.bc2_sqrt + s.eps;
        p[i] = pi + s.neg_step_size * (mi / denom);
    }
}

}  // namespace

void Adam::update(std::size_t index, std::int64_t step) {
    const ParamSlot& slot = params()[index];
    const AdamOptions& o  = options_;
    // Bias corrections in double, as torch computes them in Python floats.
    const double bc1 = 1.0 - std::pow(o.beta1, static_cast<double>(step));
    const double bc2 = 1.0 - std::pow(o.beta2, static_cast<double>(step));
    const bool decoupled = o.decoupled_weight_decay;
    AdamScalars s{};
    s.sign            = o.maximize ? -1.0f : 1.0f;
    s.l2              = decoupled ? 0.0f : static_cast<float>(o.weight_decay);
    s.decay           = static_cast<float>(1.0 - lr() * (decoupled ? o.weight_decay : 0.0));
    s.beta1           = static_cast<float>(o.beta1);
    s.one_minus_beta1 = static_cast<float>(1.0 - o.beta1);
    s.beta2           = static_cast<float>(o.beta2);
    s.one_minus_beta2 = static_cast<float>(1.0 - o.beta2);
    s.bc2_sqrt        = static_cast<float>(std::sqrt(bc2));
    s.eps             = static_cast<float>(o.eps);
    s.neg_step_size   = static_cast<float>(-(lr() / bc1));

    float* m     = state(exp_avg_, index);
    float* v     = state(exp_avg_sq_, index);
    float* v_max = o.amsgrad ? state(max_exp_avg_sq_, index) : nullptr;
    const std::size_t n = slot.size;
    if (o.amsgrad) {
        if (decoupled) adam_kernel<true, true>(n, slot.value, slot.grad, m, v, v_max, s);
        else           adam_kernel<true, false>(n, slot.value, slot.grad, m, v, v_max, s);
    } else {
        if (decoupled) adam_kernel<false, true>(n, slot.value, slot.grad, m, v, v_max, s);
        else           adam_kernel<false, false>(n, slot.value, slot.grad, m, v, v_max, s);
    }
}

}  // namespace genhost::train
