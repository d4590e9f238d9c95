// Engine internals: tensor storage, the autograd node, and the helper every op uses to
// record itself. Not installed; plugins never see it.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

// 64-byte aligned float buffer, so that SIMD loops and BLAS see aligned rows.
struct Storage {
    float*  ptr = nullptr;
    int64_t size = 0;
    size_t  bytes = 0;   // the buffer's capacity (a recycled buffer may be larger than size)
    explicit Storage(int64_t n);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
};

// Returns the gradient of each input (undefined where not needed) given the output's
// gradient. Runs with grad mode on only when create_graph was asked for, so a backward
// written with Tensor ops is itself differentiable.
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

struct Node {
    const char*         name;
    std::vector<Tensor> inputs;     // edges of the graph
    BackwardFn          backward;   // cleared once consumed (frees saved activations)
};

struct TensorImpl {
    std::shared_ptr<Storage> storage;
    int64_t                  offset = 0;   // in floats
    Shape                    shape;
    int64_t                  numel = 0;
    bool                     requires_grad = false;
    std::shared_ptr<TensorImpl> grad;      // leaves only
    std::shared_ptr<Node>    node;         // null for leaves
};

// Attaches `backward` to `out` if grad mode is on and any input requires grad.
// The shape of every op: compute out; return record("name", out, {inputs}, backward).
Tensor record(const char* name, Tensor out, std::vector<Tensor> inputs, BackwardFn backward);

// For ops whose backward is written with raw kernels (not differentiable again): throws
// a clear error if a create_graph backward needs its second derivative.
void first_order_only(const char* op, const Tensor& grad_output);

int64_t normalize_dim(const char* op, int64_t dim, int64_t ndim);
[[noreturn]] void shape_error(const std::string& message);
std::string shapes_message(const char* op, const Shape& a, const Shape& b, const char* what);
int64_t shape_numel(const Shape& s);
std::vector<int64_t> contiguous_strides(const Shape& s);

// alpha * a @ b^T over the last two dims without materialising the transpose (matmul.cpp).
Tensor matmul_nt(const Tensor& a, const Tensor& b, float alpha = 1.0f);

// Thread helpers (threads.cpp): the engine's own parallel loops.
int engine_threads();

}  // namespace genhost::engine
