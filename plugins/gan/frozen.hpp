// The trained tensors of one parameter group, out of autograd for a scope: a generator's
// step needs the discriminator's input gradients, not its weights'. Their grads keep their
// storage: only the flag changes. Shared by plugins/gan, plugins/cyclegan and plugins/stylegan.
#pragma once

#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace gan {

class Frozen {
public:
    Frozen(const genhost::engine::Parameters& params, const std::string& group) {
        for (const genhost::engine::NamedTensor& e : params.entries())
            if (!e.is_buffer && e.group == group && e.tensor.requires_grad()) tensors_.push_back(e.tensor);
        for (genhost::engine::Tensor& t : tensors_) t.set_requires_grad(false);
    }
    ~Frozen() {
        for (genhost::engine::Tensor& t : tensors_) t.set_requires_grad(true);
    }
    Frozen(const Frozen&) = delete;
    Frozen& operator=(const Frozen&) = delete;

private:
    std::vector<genhost::engine::Tensor> tensors_;
};

}  // namespace gan
