#include "train/ema.hpp"
#include "train/state_io.hpp"

#include "train/option_check.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace genhost::train {

namespace {

void validate(const EmaOptions& o, const std::string& owner) {
    detail::require(o.decay >= 0.0 && o.decay <= 1.0, owner, "decay", o.decay, "in [0, 1]");
    detail::require(o.min_decay >= 0.0 && o.min_decay <= o.decay, owner, "min_decay", o.min_decay,
                    "in [0, decay]");
    detail::require(o.update_after_step >= 0, owner, "update_after_step",
                    static_cast<double>(o.update_after_step), ">= 0");
    detail::require(std::isfinite(o.inv_gamma) && o.inv_gamma > 0.0, owner, "inv_gamma", o.inv_gamma, "> 0");
    detail::require(std::isfinite(o.power) && o.power > 0.0, owner, "power", o.power, "> 0");
}

}  // namespace

Ema::Ema(std::string name, std::vector<ParamSlot> params, const EmaOptions& options)
    : name_(std::move(name)), params_(std::move(params)), options_(options) {
    if (name_.empty() || name_.find('.') != std::string::npos)
        throw Error(owner() + ": the name must be non-empty and contain no '.', since it becomes part of "
                              "the saved state's names");
    validate_slots(params_, owner(), /*need_grad=*/false);
    validate(options_, owner());
    shadow_.reserve(params_.size());
    for (const ParamSlot& p : params_) shadow_.emplace_back(p.value, p.value + p.size);
}

double Ema::decay_at(std::int64_t update) const {
    const EmaOptions& o = options_;
    if (o.warmup == EmaWarmup::none) return update <= o.update_after_step ? 0.0 : o.decay;
    const std::int64_t k = std::max<std::int64_t>(0, update - o.update_after_step - 1);
    if (k <= 0) return 0.0;
    const double kd = static_cast<double>(k);
    const double d  = o.warmup == EmaWarmup::bias ? (1.0 + kd) / (10.0 + kd)
                                                  : 1.0 - std::pow(1.0 + kd / o.inv_gamma, -o.power);
    return std::max(std::min(d, o.decay), o.min_decay);
}

void Ema::update() {
    ++updates_;
    const float one_minus_decay = static_cast<float>(1.0 - decay_at(updates_));
    for (std::size_t j = 0; j < params_.size(); ++j) {
        float* __restrict s       = shadow_[j].data();
        const float* __restrict v = params_[j].value;
        const std::size_t n       = params_[j].size;
        for (std::size_t i = 0; i < n; ++i) s[i] = s[i] - one_minus_decay * (s[i] - v[i]);
    }
}

void Ema::copy_to() const {
    for (std::size_t j = 0; j < params_.size(); ++j) std::copy(shadow_[j].begin(), shadow_[j].end(), params_[j].value);
}

void Ema::swap() {
    for (std::size_t j = 0; j < params_.size(); ++j)
        std::swap_ranges(shadow_[j].begin(), shadow_[j].end(), params_[j].value);
}

std::vector<detail::StateEntry> Ema::entries(float* step_value) {
    const std::string prefix = "ema." + name_ + ".";
    std::vector<detail::StateEntry> out;
    out.push_back({prefix + "step", step_value, 1, true});
    for (std::size_t j = 0; j < params_.size(); ++j)
        out.push_back({prefix + params_[j].name, shadow_[j].data(), shadow_[j].size(), false});
    return out;
}

std::vector<NamedTensor> Ema::export_state() const {
    if (updates_ > detail::kMaxExactStep) {
        std::ostringstream msg;
        msg << owner() << ": update count " << updates_ << " exceeds " << detail::kMaxExactStep
            << ", the largest a float32 checkpoint tensor holds exactly";
        throw Error(msg.str());
    }
    float step_value = static_cast<float>(updates_);
    return detail::export_entries(const_cast<Ema*>(this)->entries(&step_value));
}

void Ema::import_state(const std::vector<NamedTensor>& tensors, std::string_view source) {
    float step_value = 0.0f;
    detail::import_entries(entries(&step_value), tensors, "ema." + name_ + ".", owner(), source);
    updates_ = static_cast<std::int64_t>(step_value);
}

EmaOptions make_ema_options(const OptionMap& options, std::string_view where) {
    OptionReader r(options, std::string(where));
    EmaOptions o;
    o.decay             = r.number("decay", o.decay);
    o.min_decay         = r.number("min_decay", o.min_decay);
    o.update_after_step = r.integer("update_after_step", o.update_after_step);
    o.inv_gamma         = r.number("inv_gamma", o.inv_gamma);
    o.power             = r.number("power", o.power);
    const std::string warmup = r.text("warmup", "none");
    if (warmup == "none") o.warmup = EmaWarmup::none;
    else if (warmup == "bias") o.warmup = EmaWarmup::bias;
    else if (warmup == "power") o.warmup = EmaWarmup::power;
    else throw Error(std::string(where) + ": key 'warmup' is '" + warmup + "', expected none, bias or power");
    r.finish();
    try {
        validate(o, "EMA");
    } catch (const Error& e) {
        throw Error(std::string(where) + ": " + e.what());
    }
    return o;
}

}  // namespace genhost::train
