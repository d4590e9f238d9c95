// p(x | z): the decoder's distribution over pixels in [0, 1], and the terms of the ELBO.
//
//   bernoulli           log p(x|z) = sum_i x_i log p_i + (1 - x_i) log(1 - p_i),  p = sigmoid(l)
//   gaussian, fixed     log p(x|z) = sum_i log N(x_i; sigmoid(l_i), sigma^2)
//   gaussian, learned   the same with one sigma_i per pixel, a trained parameter
//                       (decoder.log_sigma, not a function of z), kept above min_sigma by
//                       sigma_i^2 = min_sigma^2 + exp(2 log_sigma_i), a smooth floor.
//
// The discrete ones see level k_i = round(255 x_i) in {0, ..., 255} and give a probability
// mass over the 256^D images, the quantity PixelCNN's bits/dim measure:
//
//   logistic            P(k | z) = F((k + 1/2)/255) - F((k - 1/2)/255),  F(t) = sigmoid((t - m) / s)
//                       with F(-1/2/255) := 0 and F(255.5/255) := 1 (the edge bins take the tails);
//                       m = l_i and log s = l'_i, two decoder outputs per pixel, log s clamped to
//                       [-7, 7] (Salimans et al. 2017's floor; the bin is 1/255 = e^-5.5 wide).
//                       With a = ((k + 1/2)/255 - m) / s and b = a - 1/(255 s), the identity
//                       sigmoid(a) - sigmoid(b) = sigmoid(a) sigmoid(-b) (1 - e^-(a - b)) gives
//                         log P = -softplus(-a) - softplus(b) + log(1 - e^-(a - b))
//                       (k = 0 keeps only the first term, k = 255 only the second), where
//                       log(1 - e^-d) = log tanh(d/2) + log(1 + e^-d) = log(tanh(d/2)) + softplus(-d).
//                       Every term is a log-sigmoid, so the mass of a bin far in a tail (a, b
//                       around -500) is exact where sigmoid(a) - sigmoid(b) would underflow to 0:
//                       PixelCNN++'s middle-of-bin density fallback is not needed.
//   categorical         P(k | z) = softmax(l_i^(0..255))_k, 256 decoder outputs per pixel,
//                       -log P through the engine's fused cross_entropy.
//
// What the bernoulli bound means on continuous pixels: for x in {0, 1} it is the exact
// log-probability of a binary image. For grey values it is the expected log-probability
// of the binary image obtained by switching pixel i on with probability x_i (a
// "stochastic binarisation" of x). It is not a density on [0, 1]^D: it is always <= 0, and it cannot be compared with the gaussian's density or converted into a
// continuous model's bits/dim. Compare bernoulli models only with bernoulli models.
// The gaussian's density on [0, 1]^D can exceed 1 (a sharp peak on a constant pixel), so
// its bits/dim are not those of the discrete models; the logistic and categorical bounds
// are <= 0 and on the same footing as an autoregressive model's exact discrete NLL.
#pragma once

#include <cmath>

#include <genhost/engine/engine.hpp>

namespace vae {

using genhost::engine::Tensor;

enum class PixelModel { bernoulli, gaussian_fixed, gaussian_learned, logistic, categorical };

// Decoder values per pixel the model needs: 1, 2 for logistic (m, log s), 256 for categorical.
int64_t outputs_per_pixel(PixelModel model);
// True for the models that put a probability mass on the 256 levels.
bool is_discrete(PixelModel model);

class PixelLikelihood {
public:
    PixelLikelihood(genhost::engine::Parameters& params, PixelModel model, int64_t pixels, float sigma,
                    float min_sigma);
    // log p(x | z) for each image: decoded [N, K*P] (K = outputs_per_pixel), x [N, P] in
    // [0, 1] -> [N].
    Tensor log_prob(const Tensor& decoded, const Tensor& x) const;
    // -log p(x | z) averaged over the batch: the training loss's recon term. Equal to
    // -mean(log_prob), through the engine's fused bce_with_logits for bernoulli (one pass
    // over the pixels and its own backward instead of five ops: a third of a step's time
    // outside the matrix products, measured with callgrind), through cross_entropy for
    // categorical.
    Tensor nll_mean(const Tensor& decoded, const Tensor& x) const;
    // The decoder's mean image in [0, 1], [N, P]: sigmoid(l) for bernoulli and gaussian; the
    // location m clamped to [0, 1] for logistic; the expected level / 255 for categorical
    // (smoother than the most likely level, which posterises).
    Tensor mean_image(const Tensor& decoded) const;

private:
    PixelModel model_;
    int64_t pixels_;
    float sigma_, min_sigma_;
    Tensor log_sigma_;  // learned: [P]
};

// KL(N(mean, exp(logvar)) || N(0, I)) for each row: 0.5 sum(mean^2 + exp(logvar) - 1 - logvar) -> [N].
Tensor gaussian_kl_per_row(const Tensor& mean, const Tensor& logvar);

// log((1/K) sum_k exp(w_k)) of values seen one at a time, without storing them: keeps
// the largest w so far and sum_k exp(w_k - largest), rescaling the sum when a larger one
// comes. Stable for any w: w = -1e6 gives -1e6, not log(0).
class LogMeanExp {
public:
    void add(double w);
    double value() const;  // -inf before any add

private:
    double top_ = -INFINITY, scaled_sum_ = 0.0;
    int64_t count_ = 0;
};

}  // namespace vae
