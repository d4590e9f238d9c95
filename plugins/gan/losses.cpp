#include "losses.hpp"

#include <stdexcept>

using namespace genhost::engine;

namespace gan {

Loss parse_loss(const std::string& name) {
    if (name == "minimax") return Loss::minimax;
    if (name == "non_saturating") return Loss::non_saturating;
    if (name == "wasserstein") return Loss::wasserstein;
    if (name == "lsgan") return Loss::lsgan;
    if (name == "hinge") return Loss::hinge;
    throw std::invalid_argument("loss '" + name + "' is not one of minimax, non_saturating, wasserstein, lsgan, hinge");
}

Tensor discriminator_loss(Loss loss, const Tensor& s_real, const Tensor& s_fake) {
    switch (loss) {
        case Loss::minimax:
        case Loss::non_saturating: return mean(softplus(-s_real)) + mean(softplus(s_fake));
        case Loss::wasserstein: return mean(s_fake) - mean(s_real);
        case Loss::lsgan: return 0.5f * mean(square(s_real - 1.0f)) + 0.5f * mean(square(s_fake));
        case Loss::hinge: return mean(relu(1.0f - s_real)) + mean(relu(1.0f + s_fake));
    }
    throw std::logic_error("discriminator_loss: unknown loss");
}

Tensor generator_loss(Loss loss, const Tensor& s_fake) {
    switch (loss) {
        case Loss::minimax: return -mean(softplus(s_fake));
        case Loss::non_saturating: return mean(softplus(-s_fake));
        case Loss::wasserstein:
        case Loss::hinge: return -mean(s_fake);
        case Loss::lsgan: return 0.5f * mean(square(s_fake - 1.0f));
    }
    throw std::logic_error("generator_loss: unknown loss");
}

float mean_output(Loss loss, const Tensor& scores) {
    NoGradGuard no_grad;
    const bool probability = loss == Loss::minimax || loss == Loss::non_saturating;
    return mean(probability ? sigmoid(scores) : scores).item();
}

}  // namespace gan
