// Test-set likelihood of a model with genhost.likelihood/1: the ELBO (K = 1) and the
// importance-weighted bound (K > 1), per image, in nats; of an autoregressive model, the
// exact log-likelihood from its logits; summaries in nats and bits/dim.
#pragma once

#include <cstdint>
#include <vector>

#include "loader/instance.hpp"
#include "sample/latent.hpp"

namespace genhost::evaluate {

// Per-image lower bounds on log p(x), nats.
std::vector<double> log_likelihoods(const loader::PluginInstance& model, const sample::LabelledImages& x,
                                    uint32_t num_samples, uint64_t seed, int64_t batch_size);

// Per-image exact log p(x) of an autoregressive model (genhost.autoregressive/1), nats:
// sum over positions of log softmax(logits)[level], the levels of images in [lo, hi].
std::vector<double> exact_log_likelihoods(const loader::PluginInstance& model, const sample::LabelledImages& x,
                                          float lo, float hi, int64_t batch_size);

// -mean(log p) / (dims * ln 2).
double bits_per_dim(double mean_log_likelihood_nats, int64_t dims);

}  // namespace genhost::evaluate
