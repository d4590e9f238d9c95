#include "r1.hpp"

using namespace genhost::engine;

namespace stylegan {

Tensor r1_penalty(const std::function<Tensor(const Tensor&)>& critic, const Tensor& real) {
    Tensor x = real.detach();
    x.set_requires_grad(true);
    Tensor g = grad({sum(critic(x))}, {x}, {}, /*create_graph=*/true)[0];
    return mean(sum(square(flatten(g)), {1}));
}

}  // namespace stylegan
