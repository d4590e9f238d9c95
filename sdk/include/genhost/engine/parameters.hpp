// Parameters: the registry of a model's named tensors.
//
// A plugin registers every trainable tensor (with a group: a GAN has "generator" and
// "discriminator") and every buffer (BatchNorm running statistics: saved in checkpoints,
// never trained). The host reaches them through the ABI's trainable capability as DLPack
// tensors and its optimizer writes into them in place, so the value and grad storage of a
// registered tensor keep their address for the registry's lifetime: never assign a new
// tensor to a registered one, write into data() instead. Grads are allocated (zeros) at
// registration and backward() accumulates into them in place.
// Thread rule: registration from one thread, before training starts.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include <dlpack/dlpack.h>

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

// How data-parallel training combines the copies of a buffer that several processes hold
// (the ABI's GENHOST_PARAMETER_REDUCE_* flags): none keeps each process's own.
enum class BufferReduce { none, mean, sum };

struct NamedTensor {
    std::string  name;       // unique, e.g. "encoder.fc1.weight"
    std::string  group;      // "" for buffers
    Tensor       tensor;
    bool         is_buffer;
    BufferReduce reduce = BufferReduce::none;  // buffers only
};

class Parameters {
public:
    // Registers and returns the tensor (same storage). group "" means current_group().
    Tensor add_parameter(const std::string& name, Tensor value, const std::string& group = "");
    // reduce: BufferReduce::mean for statistics every process estimates alike (BatchNorm's
    // running mean and variance, which BatchNorm2d registers so).
    Tensor add_buffer(const std::string& name, Tensor value, BufferReduce reduce = BufferReduce::none);

    void               set_group(const std::string& group) { group_ = group; }  // default "model"
    const std::string& current_group() const { return group_; }

    const std::deque<NamedTensor>& entries() const { return entries_; }
    std::vector<Tensor> parameters(const std::string& group = "") const;  // "" = all groups
    const NamedTensor*  find(const std::string& name) const;              // nullptr if absent
    int64_t             count(const std::string& group = "") const;       // scalars in params
    void                zero_grad(const std::string& group = "");

private:
    std::deque<NamedTensor> entries_;
    std::string group_ = "model";
};

// Describes a tensor's value (or its grad) as a DLTensor without copying: data, kDLCPU,
// float32, shape pointing into the tensor (valid while it lives), strides NULL.
// Throws std::invalid_argument if the tensor (or its grad) is undefined.
void to_dltensor(const Tensor& t, DLTensor* out);
void grad_to_dltensor(const Tensor& t, DLTensor* out);

}  // namespace genhost::engine
