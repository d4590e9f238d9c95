// The adversarial losses, each as its paper writes it. D's output is a raw score s (a
// logit for the probability losses); real images score s_r, generated ones s_f.
//
//   minimax (Goodfellow et al. 2014):   min_G max_D E[log D(x)] + E[log(1 - D(G(z)))],  D = sigmoid(s)
//       L_D = -E[log D(x)] - E[log(1 - D(G(z)))] = E[softplus(-s_r)] + E[softplus(s_f)]
//       L_G =  E[log(1 - D(G(z)))]               = -E[softplus(s_f)]
//   non_saturating (same paper, section 3): L_D as minimax,  L_G = -E[log D(G(z))] = E[softplus(-s_f)]
//   wasserstein (Arjovsky et al. 2017):  L_D = E[s_f] - E[s_r],  L_G = -E[s_f]
//       (the critic's Wasserstein estimate is E[s_r] - E[s_f] = -L_D)
//   lsgan (Mao et al. 2017, a = 0, b = c = 1):
//       L_D = 1/2 E[(s_r - 1)^2] + 1/2 E[s_f^2],  L_G = 1/2 E[(s_f - 1)^2]
//   hinge (Lim & Ye 2017; Miyato et al. 2018):
//       L_D = E[max(0, 1 - s_r)] + E[max(0, 1 + s_f)],  L_G = -E[s_f]
// softplus(s) = log(1 + e^s) = -log(1 - sigmoid(s)) keeps the probability losses finite for
// any score.
#pragma once

#include <string>

#include <genhost/engine/engine.hpp>

namespace gan {

using genhost::engine::Tensor;

enum class Loss { minimax, non_saturating, wasserstein, lsgan, hinge };

Loss parse_loss(const std::string& name);  // the names above; throws std::invalid_argument

// s_real, s_fake: scores [N]. Scalars, differentiable in the scores.
Tensor discriminator_loss(Loss loss, const Tensor& s_real, const Tensor& s_fake);
Tensor generator_loss(Loss loss, const Tensor& s_fake);

// What D "says" about a batch, for the log: the mean probability sigmoid(s) for the
// probability losses (minimax, non_saturating: PyTorch's DCGAN example prints the same
// D(x) and D(G(z))), the mean raw score for the others.
float mean_output(Loss loss, const Tensor& scores);

}  // namespace gan
