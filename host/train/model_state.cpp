#include "train/model_state.hpp"

#include <algorithm>
#include <set>

#include "util/error.hpp"

namespace genhost::train {

namespace {

std::vector<int64_t> checked_shape(const DLTensor* t, const std::string& what) {
    if (!t || !t->data) throw Error(what + " has no tensor or no data");
    if (!genhost_tensor_is_compact(t, kDLFloat, 32)) throw Error(what + " is not a compact float32 CPU tensor");
    return std::vector<int64_t>(t->shape, t->shape + t->ndim);
}

}  // namespace

ModelState::ModelState(const genhost_trainable* t, const genhost_plugin* p, const std::string& id) {
    const std::string who = "plugin '" + id + "'";
    std::set<std::string> names;
    const uint32_t count = t->parameter_count(p);
    for (uint32_t i = 0; i < count; ++i) {
        const genhost_parameter* g = t->get_parameter(p, i);
        if (!g || !GENHOST_STRUCT_HAS(g, genhost_parameter, GENHOST_PARAMETER_V1_0_LAST) || !g->name || !g->group)
            throw Error(who + ": parameter #" + std::to_string(i) + " is missing or incomplete");
        ModelTensor m;
        m.name = g->name, m.group = g->group;
        m.buffer = (g->flags & GENHOST_PARAMETER_BUFFER) != 0;
        m.reduce = g->flags & (GENHOST_PARAMETER_REDUCE_MEAN | GENHOST_PARAMETER_REDUCE_SUM);
        if (m.reduce == (GENHOST_PARAMETER_REDUCE_MEAN | GENHOST_PARAMETER_REDUCE_SUM))
            throw Error(who + ": parameter '" + m.name + "' is flagged both REDUCE_MEAN and REDUCE_SUM");
        if (!names.insert(m.name).second) throw Error(who + ": two parameters are named '" + m.name + "'");
        m.shape = checked_shape(g->value, who + ": parameter '" + m.name + "'");
        m.value = static_cast<float*>(genhost_tensor_data(g->value));
        m.size = static_cast<size_t>(genhost_tensor_numel(g->value));
        if (!m.buffer) {
            auto gs = checked_shape(g->grad, who + ": gradient of '" + m.name + "'");
            if (gs != m.shape) throw Error(who + ": the gradient of '" + m.name + "' is not shaped like its value");
            m.grad = static_cast<float*>(genhost_tensor_data(g->grad));
        }
        tensors_.push_back(std::move(m));
    }
    const auto known = groups();
    const uint32_t phase_count = t->phase_count(p);
    if (phase_count == 0) throw Error(who + ": a trainable plugin needs at least one phase");
    for (uint32_t i = 0; i < phase_count; ++i) {
        const genhost_phase* ph = t->get_phase(p, i);
        if (!ph || !GENHOST_STRUCT_HAS(ph, genhost_phase, GENHOST_PHASE_V1_0_LAST) || !ph->name || !ph->group ||
            !ph->loss_names || !ph->loss_names[0])
            throw Error(who + ": phase #" + std::to_string(i) + " is missing, unnamed or names no loss");
        ModelPhase m{i, ph->name, ph->group, {}, true};
        if (GENHOST_STRUCT_HAS(ph, genhost_phase, flags)) m.uses_data = (ph->flags & GENHOST_PHASE_NO_DATA) == 0;
        for (const char* const* l = ph->loss_names; *l; ++l) m.losses.push_back(*l);
        if (std::find(known.begin(), known.end(), m.group) == known.end())
            throw Error(who + ": phase '" + m.name + "' trains group '" + m.group + "', which has no parameters");
        phases_.push_back(std::move(m));
    }
}

std::vector<std::string> ModelState::groups() const {
    std::vector<std::string> out;
    for (const auto& t : tensors_)
        if (!t.buffer && std::find(out.begin(), out.end(), t.group) == out.end()) out.push_back(t.group);
    return out;
}

std::vector<ParamSlot> ModelState::slots(const std::string& group) const {
    std::vector<ParamSlot> out;
    for (const auto& t : tensors_)
        if (!t.buffer && t.group == group) out.push_back({t.name, t.value, t.grad, t.size});
    return out;
}

std::vector<ParamSlot> ModelState::all_slots() const {
    std::vector<ParamSlot> out;
    for (const auto& t : tensors_)
        if (!t.buffer) out.push_back({t.name, t.value, t.grad, t.size});
    return out;
}

void ModelState::zero_grads(const std::string& group) const {
    for (const auto& t : tensors_)
        if (!t.buffer && t.group == group) std::fill(t.grad, t.grad + t.size, 0.0f);
}

size_t ModelState::parameter_count() const {
    size_t n = 0;
    for (const auto& t : tensors_)
        if (!t.buffer) n += t.size;
    return n;
}

}  // namespace genhost::train
