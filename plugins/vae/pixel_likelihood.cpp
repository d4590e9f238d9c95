#include "pixel_likelihood.hpp"

#include <cmath>

using namespace genhost::engine;

namespace vae {

namespace {
const float kLog2Pi = std::log(2.0f * static_cast<float>(M_PI));
}

PixelLikelihood::PixelLikelihood(Parameters& params, PixelModel model, int64_t pixels, float sigma, float min_sigma)
    : model_(model), sigma_(sigma), min_sigma_(min_sigma) {
    if (model == PixelModel::gaussian_learned)
        log_sigma_ = params.add_parameter("decoder.log_sigma", Tensor::full({pixels}, std::log(sigma)));
}

Tensor PixelLikelihood::log_prob(const Tensor& decoded, const Tensor& x) const {
    switch (model_) {
        case PixelModel::bernoulli:
            // x l - log(1 + e^l): the negated binary cross-entropy on logits.
            return sum(x * decoded - softplus(decoded), {1});
        case PixelModel::gaussian_fixed: {
            const float pixels = static_cast<float>(x.size(1));
            return sum(square(x - sigmoid(decoded)), {1}) * (-0.5f / (sigma_ * sigma_)) -
                   0.5f * pixels * (kLog2Pi + 2.0f * std::log(sigma_));
        }
        case PixelModel::gaussian_learned: {
            Tensor logvar = log(exp(2.0f * log_sigma_) + min_sigma_ * min_sigma_);  // [P]
            return sum(square(x - sigmoid(decoded)) * exp(-logvar) + logvar + kLog2Pi, {1}) * -0.5f;
        }
    }
    return Tensor();
}

Tensor PixelLikelihood::nll_mean(const Tensor& decoded, const Tensor& x) const {
    if (model_ == PixelModel::bernoulli) return bce_with_logits(decoded, x) * static_cast<float>(x.size(1));
    return mean(-log_prob(decoded, x));
}

Tensor PixelLikelihood::mean_image(const Tensor& decoded) const { return sigmoid(decoded); }

Tensor gaussian_kl_per_row(const Tensor& mean, const Tensor& logvar) {
    return sum(square(mean) + exp(logvar) - 1.0f - logvar, {1}) * 0.5f;
}

void LogMeanExp::add(double w) {
    ++count_;
    if (std::isnan(w) || std::isnan(top_)) {
        top_ = NAN;
    } else if (w == -INFINITY) {
        // exp(-inf) adds nothing
    } else if (w > top_) {
        scaled_sum_ = scaled_sum_ * std::exp(top_ - w) + 1.0;  // exp(-inf) = 0 on the first value
        top_ = w;
    } else {
        scaled_sum_ += std::exp(w - top_);
    }
}

double LogMeanExp::value() const {
    if (count_ == 0 || !std::isfinite(top_)) return top_;
    return top_ + std::log(scaled_sum_ / static_cast<double>(count_));
}

}  // namespace vae
