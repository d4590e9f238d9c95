#include "train/sgd.hpp"

#include "train/option_check.hpp"
#include "util/error.hpp"

#include <sstream>

namespace genhost::train {

Sgd::Sgd(std::string group, std::vector<ParamSlot> params, const SgdOptions& o)
    : Optimizer("sgd", std::move(group), std::move(params), o.lr), options_(o) {
    detail::require(o.momentum >= 0.0, owner(), "momentum", o.momentum, ">= 0");
    detail::require(o.weight_decay >= 0.0, owner(), "weight_decay", o.weight_decay, ">= 0");
    detail::require(o.dampening >= 0.0 && o.dampening <= 1.0, owner(), "dampening", o.dampening, "in [0, 1]");
    if (o.nesterov && !(o.momentum > 0.0 && o.dampening == 0.0)) {
        std::ostringstream msg;
        msg << owner() << ": nesterov needs momentum > 0 and dampening == 0 (as in torch), got momentum "
            << o.momentum << " and dampening " << o.dampening << "; set momentum (e.g. 0.9) or drop nesterov";
        throw Error(msg.str());
    }
    if (o.momentum != 0.0) momentum_buffer_ = add_state("momentum_buffer");
}

void Sgd::update(std::size_t index, std::int64_t step) {
    const ParamSlot& slot = params()[index];
    float* __restrict p       = slot.value;
    const float* __restrict g = slot.grad;
    const std::size_t n       = slot.size;
    // Scalars are rounded to float once, as torch does when it applies a Python float to a float tensor.
    const float sign = options_.maximize ? -1.0f : 1.0f;
    const float wd   = static_cast<float>(options_.weight_decay);
    const float mom  = static_cast<float>(options_.momentum);
    const float damp = static_cast<float>(1.0 - options_.dampening);
    const float neg_lr = static_cast<float>(-lr());

    if (options_.momentum == 0.0) {
        for (std::size_t i = 0; i < n; ++i) {
            const float d = sign * g[i] + wd * p[i];
            p[i] = p[i] + neg_lr * d;
        }
        return;
    }
    float* __restrict b = state(momentum_buffer_, index);
    const bool first = step == 1;
    const bool nesterov = options_.nesterov;
    for (std::size_t i = 0; i < n; ++i) {
        const float d  = sign * g[i] + wd * p[i];
        const float bi = first ? d : b[i] * mom + damp * d;
        b[i] = bi;
        p[i] = p[i] + neg_lr * (nesterov ? d + mom * bi : bi);
    }
}

}  // namespace genhost::train
