// The parameter registry and its DLPack view.
#include <stdexcept>

#include "internal.hpp"
#include "genhost/engine/parameters.hpp"

namespace genhost::engine {

namespace {
void check_new(const std::deque<NamedTensor>& entries, const std::string& name, const Tensor& t) {
    if (name.empty()) throw std::invalid_argument("Parameters: empty name");
    if (!t.defined()) throw std::invalid_argument("Parameters: '" + name + "' is an undefined tensor");
    if (!t.is_leaf()) throw std::invalid_argument("Parameters: '" + name + "' was computed by an op; register a leaf (detach() it)");
    for (const auto& e : entries)
        if (e.name == name) throw std::invalid_argument("Parameters: '" + name + "' is registered twice");
}
bool in_group(const NamedTensor& e, const std::string& group) {
    return !e.is_buffer && (group.empty() || e.group == group);
}
}  // namespace

Tensor Parameters::add_parameter(const std::string& name, Tensor value, const std::string& group) {
    check_new(entries_, name, value);
    value.set_requires_grad(true);
    if (!value.impl()->grad) value.impl()->grad = Tensor::zeros(value.shape()).impl();  // stable address from now on
    entries_.push_back({name, group.empty() ? group_ : group, value, false});
    return value;
}

Tensor Parameters::add_buffer(const std::string& name, Tensor value, BufferReduce reduce) {
    check_new(entries_, name, value);
    entries_.push_back({name, "", value, true, reduce});
    return value;
}

std::vector<Tensor> Parameters::parameters(const std::string& group) const {
    std::vector<Tensor> out;
    for (const auto& e : entries_) if (in_group(e, group)) out.push_back(e.tensor);
    return out;
}

const NamedTensor* Parameters::find(const std::string& name) const {
    for (const auto& e : entries_) if (e.name == name) return &e;
    return nullptr;
}

int64_t Parameters::count(const std::string& group) const {
    int64_t n = 0;
    for (const auto& e : entries_) if (in_group(e, group)) n += e.tensor.numel();
    return n;
}

void Parameters::zero_grad(const std::string& group) {
    for (auto& e : entries_) if (in_group(e, group)) e.tensor.zero_grad();
}

namespace {
void fill(TensorImpl& impl, DLTensor* out) {
    out->data = impl.storage->ptr + impl.offset;
    out->device = DLDevice{kDLCPU, 0};
    out->ndim = static_cast<int32_t>(impl.shape.size());
    out->dtype = DLDataType{kDLFloat, 32, 1};
    out->shape = impl.shape.data();
    out->strides = nullptr;
    out->byte_offset = 0;
}
}  // namespace

void to_dltensor(const Tensor& t, DLTensor* out) {
    if (!t.defined()) throw std::invalid_argument("to_dltensor: undefined tensor");
    fill(*t.impl(), out);
}

void grad_to_dltensor(const Tensor& t, DLTensor* out) {
    if (!t.defined() || !t.impl()->grad)
        throw std::invalid_argument("grad_to_dltensor: the tensor has no grad (register it with Parameters::add_parameter)");
    fill(*t.impl()->grad, out);
}

}  // namespace genhost::engine
