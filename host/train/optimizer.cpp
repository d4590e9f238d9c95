#include "train/optimizer.hpp"
#include "train/state_io.hpp"

#include "util/error.hpp"

#include <cmath>
#include <sstream>

namespace genhost::train {

namespace {

void check_lr(double lr, const std::string& owner) {
    if (!(std::isfinite(lr) && lr >= 0.0)) {
        std::ostringstream msg;
        msg << owner << ": learning rate " << lr << " is invalid; expected a finite number >= 0";
        throw Error(msg.str());
    }
}

}  // namespace

Optimizer::Optimizer(std::string type, std::string group, std::vector<ParamSlot> params, double lr)
    : type_(std::move(type)), group_(std::move(group)), params_(std::move(params)), base_lr_(lr), lr_(lr) {
    if (group_.empty() || group_.find('.') != std::string::npos)
        throw Error(owner() + ": the group name must be non-empty and contain no '.', since it "
                              "becomes part of the saved state's names");
    validate_slots(params_, owner(), /*need_grad=*/true);
    check_lr(lr, owner());
}

std::string Optimizer::owner() const { return type_ + " optimizer of group '" + group_ + "'"; }

void Optimizer::set_lr(double lr) {
    check_lr(lr, owner());
    lr_ = lr;
}

std::size_t Optimizer::add_state(const std::string& name) {
    Buffer b;
    b.name = name;
    b.data.reserve(params_.size());
    for (const ParamSlot& p : params_) b.data.emplace_back(p.size, 0.0f);
    buffers_.push_back(std::move(b));
    return buffers_.size() - 1;
}

void Optimizer::step() {
    ++step_;
    for (std::size_t i = 0; i < params_.size(); ++i) update(i, step_);
}

std::vector<detail::StateEntry> Optimizer::entries(float* step_value) {
    const std::string prefix = "optimizer." + group_ + ".";
    std::vector<detail::StateEntry> out;
    out.push_back({prefix + "step", step_value, 1, true});
    for (Buffer& b : buffers_)
        for (std::size_t i = 0; i < params_.size(); ++i)
            out.push_back({prefix + b.name + "." + params_[i].name, b.data[i].data(), b.data[i].size(), false});
    return out;
}

std::vector<NamedTensor> Optimizer::export_state() const {
    if (step_ > detail::kMaxExactStep) {
        std::ostringstream msg;
        msg << owner() << ": step count " << step_ << " exceeds " << detail::kMaxExactStep
            << ", the largest a float32 checkpoint tensor holds exactly";
        throw Error(msg.str());
    }
    float step_value = static_cast<float>(step_);
    // entries() hands out mutable pointers for import; export only reads through them.
    return detail::export_entries(const_cast<Optimizer*>(this)->entries(&step_value));
}

void Optimizer::import_state(const std::vector<NamedTensor>& tensors, std::string_view source) {
    float step_value = 0.0f;
    detail::import_entries(entries(&step_value), tensors, "optimizer." + group_ + ".", owner(), source);
    step_ = static_cast<std::int64_t>(step_value);
}

}  // namespace genhost::train
