// Reverse-mode autograd: a topological walk of the recorded graph from the outputs,
// calling each node's backward with its accumulated output gradient.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "internal.hpp"
#include "kernels.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {
thread_local bool g_grad_enabled = true;

// Sets grad mode for a scope (backward runs with it equal to create_graph).
struct GradModeScope {
    bool previous;
    explicit GradModeScope(bool on) : previous(g_grad_enabled) { g_grad_enabled = on; }
    ~GradModeScope() { g_grad_enabled = previous; }
};
}  // namespace

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }

Tensor record(const char* name, Tensor out, std::vector<Tensor> inputs, BackwardFn backward) {
    if (!g_grad_enabled) return out;
    bool any = std::any_of(inputs.begin(), inputs.end(), [](const Tensor& t) { return t.requires_grad(); });
    if (!any) return out;
    auto node = std::make_shared<Node>();
    node->name = name;
    node->inputs = std::move(inputs);
    node->backward = std::move(backward);
    out.impl()->node = std::move(node);
    out.impl()->requires_grad = true;
    return out;
}

void first_order_only(const char* op, const Tensor& grad_output) {
    (void)grad_output;
    if (g_grad_enabled)  // only true inside a create_graph backward
        throw std::logic_error(std::string("double backward through ") + op +
                               " is not implemented: create_graph=true needs ops from the "
                               "WGAN-GP set (linear, conv2d, leaky_relu, sum/mean, mul, pow/sqrt, ...)");
}

namespace {

// Post-order DFS (iterative: deep graphs must not overflow the stack).
// Holds the impls (owning) so that clearing a consumer's inputs during the walk does not
// free a tensor still to be visited; each is released right after its own visit.
std::vector<std::shared_ptr<TensorImpl>> topo_order(const std::vector<Tensor>& roots) {
    std::vector<std::shared_ptr<TensorImpl>> order;
    std::unordered_set<TensorImpl*> seen;
    std::vector<std::pair<std::shared_ptr<TensorImpl>, size_t>> stack;
    for (const Tensor& r : roots) {
        TensorImpl* ri = r.impl().get();
        if (!ri->requires_grad || seen.count(ri)) continue;
        seen.insert(ri);
        stack.push_back({r.impl(), 0});
        while (!stack.empty()) {
            auto& [impl, next] = stack.back();
            Node* node = impl->node.get();
            if (node && next < node->inputs.size()) {
                std::shared_ptr<TensorImpl> child = node->inputs[next++].impl();
                if (child && child->requires_grad && !seen.count(child.get())) {
                    seen.insert(child.get());
                    stack.push_back({child, 0});
                }
            } else {
                order.push_back(impl);
                stack.pop_back();
            }
        }
    }
    return order;  // children before parents
}

void accumulate(std::unordered_map<TensorImpl*, Tensor>& grads, TensorImpl* key, const Tensor& g) {
    auto it = grads.find(key);
    if (it == grads.end()) { grads.emplace(key, g); return; }
    Tensor& sum = it->second;
    // In place when the running sum is this map's alone: no other gradient, view, result
    // or graph holds its impl or storage (a backward may hand one tensor to several
    // inputs: add gives g to both), and no graph is being built. Otherwise out of place.
    const bool ours = !g_grad_enabled && sum.impl().use_count() == 1 && sum.impl()->storage.use_count() == 1 &&
                      !sum.requires_grad() && sum.impl() != g.impl();
    if (!ours) { sum = sum + g; return; }
    float* dst = sum.data();
    const float* src = g.data();
    parallel_for(sum.numel(), 1 << 15, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) dst[i] += src[i];
    });
}

// Runs backward from roots. targets empty: accumulate into leaves' .grad; otherwise
// return the gradients of targets (in order).
std::vector<Tensor> run_backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& root_grads,
                                 const std::vector<Tensor>& targets, bool create_graph, bool retain_graph) {
    std::vector<std::shared_ptr<TensorImpl>> order = topo_order(roots);
    std::unordered_set<TensorImpl*> target_set;
    for (const Tensor& t : targets) target_set.insert(t.impl().get());

    // Only nodes from which a target (or, for backward(), a leaf) is reachable do work.
    std::unordered_set<TensorImpl*> needed;
    for (const auto& owner : order) {
        TensorImpl* impl = owner.get();
        bool need = targets.empty() ? !impl->node : target_set.count(impl) > 0;
        if (impl->node && !impl->node->backward) need = true;  // freed: report it below
        if (!need && impl->node)
            for (const Tensor& in : impl->node->inputs)
                if (in.defined() && needed.count(in.impl().get())) { need = true; break; }
        if (need) needed.insert(impl);
    }

    std::unordered_map<TensorImpl*, Tensor> grads;
    {
        GradModeScope mode(create_graph);
        for (size_t i = 0; i < roots.size(); ++i)
            if (roots[i].requires_grad()) accumulate(grads, roots[i].impl().get(), root_grads[i]);
    }
    std::unordered_map<TensorImpl*, Tensor> results;
    for (size_t k = order.size(); k-- > 0;) {
        std::shared_ptr<TensorImpl> owner = std::move(order[k]);  // released at the end of this visit
        TensorImpl* impl = owner.get();
        auto it = grads.find(impl);
        if (it == grads.end() || !needed.count(impl)) continue;
        Tensor g = it->second;
        if (!create_graph) grads.erase(it);  // free as we go
        if (target_set.count(impl)) results[impl] = g;
        if (!impl->node) {
            if (targets.empty()) {  // a leaf: accumulate into .grad, in place when it exists
                if (!impl->grad) {
                    impl->grad = (create_graph ? g : g.clone().detach()).impl();
                    if (!create_graph) impl->grad->requires_grad = false;
                } else {
                    float* dst = impl->grad->storage->ptr + impl->grad->offset;
                    const float* src = g.data();
                    for (int64_t i = 0; i < impl->numel; ++i) dst[i] += src[i];
                }
            }
            continue;
        }
        Node& node = *impl->node;
        if (!node.backward)
            throw std::logic_error(std::string("backward through ") + node.name +
                                   " a second time: its graph was freed by the first backward "
                                   "(pass retain_graph=true to the first one)");
        std::vector<Tensor> in_grads;
        {
            GradModeScope mode(create_graph);
            in_grads = node.backward(g);
        }
        for (size_t i = 0; i < node.inputs.size() && i < in_grads.size(); ++i) {
            const Tensor& in = node.inputs[i];
            if (!in.defined() || !in.requires_grad() || !in_grads[i].defined()) continue;
            if (in_grads[i].shape() != in.shape())
                throw std::logic_error(std::string("internal: backward of ") + node.name + " gave grad " +
                                       in_grads[i].shape_str() + " for input " + in.shape_str());
            GradModeScope mode(create_graph);
            accumulate(grads, in.impl().get(), in_grads[i]);
        }
        if (!create_graph && !retain_graph) {  // free saved activations
            node.backward = nullptr;
            node.inputs.clear();
        }
    }
    std::vector<Tensor> out;
    for (const Tensor& t : targets) {
        auto it = results.find(t.impl().get());
        out.push_back(it != results.end() ? it->second : Tensor::zeros(t.shape()));
    }
    return out;
}

}  // namespace

void Tensor::backward(bool create_graph, bool retain_graph) const {
    if (!requires_grad())
        throw std::logic_error("backward: the tensor does not require grad (no input had "
                               "requires_grad, or it was computed under NoGradGuard)");
    if (numel() != 1)
        shape_error("backward: expected a one-element loss, got shape " + shape_str() +
                    "; reduce it with sum() or mean() first");
    run_backward({*this}, {Tensor::ones(shape())}, {}, create_graph, retain_graph || create_graph);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, bool create_graph) {
    std::vector<Tensor> gos = grad_outputs;
    if (gos.empty())
        for (const Tensor& o : outputs) gos.push_back(Tensor::ones(o.shape()));
    if (gos.size() != outputs.size())
        throw std::invalid_argument("grad: " + std::to_string(outputs.size()) + " outputs but " +
                                    std::to_string(gos.size()) + " grad_outputs");
    for (size_t i = 0; i < outputs.size(); ++i)
        if (gos[i].shape() != outputs[i].shape())
            shape_error(shapes_message("grad", outputs[i].shape(), gos[i].shape(),
                                       "(output and grad_output) differ"));
    for (const Tensor& in : inputs)
        if (!in.requires_grad())
            throw std::invalid_argument("grad: an input (shape " + in.shape_str() +
                                        ") does not require grad");
    return run_backward(outputs, gos, inputs, create_graph, create_graph);
}

}  // namespace genhost::engine
