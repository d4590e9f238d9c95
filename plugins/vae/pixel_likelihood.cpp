#include "pixel_likelihood.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace genhost::engine;

namespace vae {

namespace {
const float kLog2Pi = std::log(2.0f * static_cast<float>(M_PI));
constexpr int64_t kLevels = 256;
constexpr float kMinLogScale = -7.0f, kMaxLogScale = 7.0f;

// The 8-bit level round(255 x) of each pixel, [N, P] (x is data, never differentiated).
std::vector<int64_t> levels_of(const Tensor& x) {
    std::vector<int64_t> k(static_cast<size_t>(x.numel()));
    const float* p = x.data();
    for (size_t i = 0; i < k.size(); ++i)
        k[i] = std::clamp<int64_t>(std::lround(255.0f * p[i]), 0, kLevels - 1);
    return k;
}

// A constant [N, P] tensor of f(level) per pixel.
template <class F>
Tensor per_level(const Tensor& x, const std::vector<int64_t>& k, F f) {
    std::vector<float> v(k.size());
    for (size_t i = 0; i < k.size(); ++i) v[i] = f(k[i]);
    return Tensor::from_vector(x.shape(), std::move(v));
}

// log P(k | m, log s) of the discretized logistic for each pixel, [N, P] (see the header).
Tensor logistic_log_mass(const Tensor& m, const Tensor& log_s, const Tensor& x) {
    const auto k = levels_of(x);
    Tensor upper = per_level(x, k, [](int64_t l) { return (static_cast<float>(l) + 0.5f) / 255.0f; });
    Tensor has_upper = per_level(x, k, [](int64_t l) { return l < kLevels - 1 ? 1.0f : 0.0f; });  // not the top bin
    Tensor has_lower = per_level(x, k, [](int64_t l) { return l > 0 ? 1.0f : 0.0f; });            // not the bottom bin
    Tensor inv_s = exp(-clamp(log_s, kMinLogScale, kMaxLogScale));
    Tensor a = (upper - m) * inv_s;
    Tensor d = inv_s * (1.0f / 255.0f);  // a - b
    Tensor b = a - d;
    Tensor log_one_minus_exp = log(tanh(d * 0.5f)) + softplus(-d);  // log(1 - e^-d)
    return has_upper * -softplus(-a) + has_lower * -softplus(b) + has_upper * has_lower * log_one_minus_exp;
}

// The logits [N, 256 P] as [N, 256, P], cross_entropy's per-position layout.
Tensor level_logits(const Tensor& decoded, int64_t pixels) {
    return reshape(decoded, {decoded.size(0), kLevels, pixels});
}
}  // namespace

int64_t outputs_per_pixel(PixelModel model) {
    if (model == PixelModel::logistic) return 2;
    if (model == PixelModel::categorical) return kLevels;
    return 1;
}

bool is_discrete(PixelModel model) { return model == PixelModel::logistic || model == PixelModel::categorical; }

PixelLikelihood::PixelLikelihood(Parameters& params, PixelModel model, int64_t pixels, float sigma, float min_sigma)
    : model_(model), pixels_(pixels), sigma_(sigma), min_sigma_(min_sigma) {
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
        case PixelModel::logistic:
            return sum(logistic_log_mass(slice(decoded, 1, 0, pixels_), slice(decoded, 1, pixels_, 2 * pixels_), x), {1});
        case PixelModel::categorical: {
            // One cross_entropy per image: its mean over the P positions, times -P.
            Tensor logits = level_logits(decoded, pixels_);
            const auto k = levels_of(x);
            std::vector<Tensor> rows;
            for (int64_t n = 0; n < x.size(0); ++n) {
                std::vector<int64_t> kn(k.begin() + n * pixels_, k.begin() + (n + 1) * pixels_);
                rows.push_back(reshape(cross_entropy(slice(logits, 0, n, n + 1), kn), {1}));
            }
            return concat(rows, 0) * -static_cast<float>(pixels_);
        }
    }
    return Tensor();
}

Tensor PixelLikelihood::nll_mean(const Tensor& decoded, const Tensor& x) const {
    if (model_ == PixelModel::bernoulli) return bce_with_logits(decoded, x) * static_cast<float>(x.size(1));
    if (model_ == PixelModel::categorical)
        return cross_entropy(level_logits(decoded, pixels_), levels_of(x)) * static_cast<float>(pixels_);
    return mean(-log_prob(decoded, x));
}

Tensor PixelLikelihood::mean_image(const Tensor& decoded) const {
    if (model_ == PixelModel::logistic) return clamp(slice(decoded, 1, 0, pixels_), 0.0f, 1.0f);
    if (model_ == PixelModel::categorical) {
        std::vector<float> level(kLevels);
        for (int64_t l = 0; l < kLevels; ++l) level[static_cast<size_t>(l)] = static_cast<float>(l) / 255.0f;
        return sum(softmax(level_logits(decoded, pixels_), 1) * Tensor::from_vector({1, kLevels, 1}, std::move(level)),
                   {1});
    }
    return sigmoid(decoded);
}

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
