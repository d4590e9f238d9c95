// Tensor: a float32, row-major, contiguous n-d array with a place in the autograd graph.
//
// A Tensor is a cheap handle (shared ownership): copying it shares the storage, like a
// PyTorch tensor. Views (reshape, slicing along dim 0, detach) share storage too.
// Thread rule: a Tensor may be read from many threads; writing it needs one owner.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace genhost::engine {

using Shape = std::vector<int64_t>;

struct TensorImpl;  // internal (sdk/engine/src/internal.hpp)

class Tensor {
public:
    Tensor() = default;  // undefined: defined() is false
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    static Tensor empty(const Shape& shape);                        // uninitialised
    static Tensor zeros(const Shape& shape);
    static Tensor ones(const Shape& shape);
    static Tensor full(const Shape& shape, float value);
    static Tensor scalar(float value);                              // shape []
    static Tensor from_vector(const Shape& shape, std::vector<float> values);

    bool           defined() const { return impl_ != nullptr; }
    const Shape&   shape() const;
    int64_t        dim() const;
    int64_t        size(int64_t d) const;     // negative d counts from the end
    int64_t        numel() const;
    float*         data();                    // contiguous, numel() floats
    const float*   data() const;
    float          item() const;              // the value of a one-element tensor
    std::vector<float> to_vector() const;
    std::string    shape_str() const;         // "[2,3]"

    // Autograd. Leaves with requires_grad receive gradients in grad().
    bool           requires_grad() const;
    Tensor&        set_requires_grad(bool on);
    Tensor         grad() const;              // undefined until a backward reaches it
    void           zero_grad();               // fills grad with 0 in place (keeps its address)
    bool           is_leaf() const;           // no recorded operation produced it
    Tensor         detach() const;            // same storage, no graph
    Tensor         clone() const;             // new storage, no graph

    // Back-propagates from this one-element tensor. create_graph records the backward
    // pass itself so that gradients can be differentiated again (gradient penalties);
    // otherwise the graph and its saved activations are freed as it is consumed.
    void backward(bool create_graph = false, bool retain_graph = false) const;

    const std::shared_ptr<TensorImpl>& impl() const { return impl_; }

private:
    std::shared_ptr<TensorImpl> impl_;
};

// Gradients of sum(outputs[i] * grad_outputs[i]) with respect to inputs, returned instead
// of accumulated (torch.autograd.grad). Empty grad_outputs means ones for each output.
// An input the outputs do not depend on gets a zero tensor.
// create_graph: the returned gradients are themselves differentiable (and the graph
// of outputs is retained so it can be back-propagated again).
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, bool create_graph = false);

// While alive, operations record nothing (sampling, evaluation, optimizer updates).
// Thread rule: per thread.
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;
private:
    bool previous_;
};

bool grad_enabled();  // false inside a NoGradGuard

std::string shape_to_string(const Shape& shape);  // "[2,3]"

// Freed tensor buffers of 64 KB and more are kept (up to 256 MB) for reuse by the next
// tensor of the same size, which saves page faults in every training step. This returns
// them to the system (e.g. after training, before sampling). Thread-safe.
void    release_cached_memory();
int64_t cached_memory_bytes();

}  // namespace genhost::engine
