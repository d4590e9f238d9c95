#include "penalty.hpp"

#include <vector>

using namespace genhost::engine;

namespace gan {

Tensor gradient_penalty(const std::function<Tensor(const Tensor&)>& critic, const Tensor& real, const Tensor& fake,
                        const Tensor& eps) {
    Shape per_image(static_cast<size_t>(real.dim()), 1);
    per_image[0] = real.size(0);
    Tensor x_hat;
    {
        NoGradGuard constant;  // x^ is an input: the penalty's gradient flows into D, not into x or G
        Tensor e = reshape(eps, per_image);
        x_hat = e * real + (1.0f - e) * fake;
    }
    x_hat.set_requires_grad(true);
    Tensor g = grad({sum(critic(x_hat))}, {x_hat}, {}, /*create_graph=*/true)[0];
    Tensor norm = sqrt(sum(square(flatten(g)), {1}));
    return mean(square(norm - 1.0f));
}

}  // namespace gan
