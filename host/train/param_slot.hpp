// What the training code sees of a model: named flat float32 buffers, and the named float
// tensors its state is saved as.
//
// A ParamSlot is a non-owning view: the plugin owns `value` and `grad`, keeps them at the
// same address for the life of the model, and the optimizer, the clipper and the EMA read
// and write them in place. Parameters are grouped ("generator", "discriminator"); each
// group gets its own optimizer, so a GAN's two players never share state.
//
// Thread rule: nothing in genhost::train locks; one thread drives one group at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::train {

struct ParamSlot {
    std::string name;             // unique within its group, e.g. "disc.fc2.weight"
    float*      value = nullptr;  // size floats, updated in place by optimizers and EMA
    float*      grad  = nullptr;  // size floats, read by optimizers, scaled by clip_grad_norm
    std::size_t size  = 0;        // number of floats; 0 is allowed (pointers may be null)
};

// One tensor of saved state, e.g. "optimizer.generator.exp_avg.gen.fc1.weight".
// Optimizer and EMA state is flat, so `shape` is [size], or [] for a scalar (step counts,
// stored as float32 like torch's state["step"]; exact up to 2^24 = 16,777,216 steps).
struct NamedTensor {
    std::string               name;
    std::vector<std::int64_t> shape;
    std::vector<float>        data;
};

// Throws genhost::Error unless every slot has a non-empty name unique in `params` and
// non-null pointers when size > 0. `owner` names the caller in the message
// ("adam optimizer of group 'generator'").
void validate_slots(const std::vector<ParamSlot>& params, std::string_view owner, bool need_grad);

}  // namespace genhost::train
