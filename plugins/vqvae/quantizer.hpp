// Vector quantization (van den Oord et al. 2017, Neural Discrete Representation Learning):
// every D-vector z_e of the encoder's output is replaced by its nearest code vector,
//
//   k = argmin_j || z_e - e_j ||^2,   z_q = e_k,
//
// and the decoder sees z_q. The argmin has no gradient, so the decoder's gradient is
// copied to the encoder unchanged (straight-through: z_e + sg[z_q - z_e] is z_q forwards
// and the identity backwards). The codebook learns in one of two ways:
//
//   loss: L = recon + || sg[z_e] - z_q ||^2 + beta || z_e - sg[z_q] ||^2
//         (the codebook term moves codes towards the encodings, the commitment term
//         keeps the encoder near its codes; beta = 0.25 in the paper)
//   ema:  L = recon + beta || z_e - sg[z_q] ||^2, and each code is the running mean of
//         the encodings assigned to it (appendix A.1):
//           N_k <- d N_k + (1 - d) n_k,   m_k <- d m_k + (1 - d) sum_{i: k_i = k} z_e_i,
//           e_k = m_k / N_k   (N_k Laplace-smoothed so that an empty code stays finite)
//         A code whose N_k falls below `dead_threshold` is restarted at a random encoding
//         of the batch (Dhariwal et al. 2020, Jukebox), so codes do not stay unused.
// ||.||^2 terms are means over elements, as torch's F.mse_loss.
//
// N and m are buffers the model updates itself. Under data parallelism each process
// updates them with its own batch; averaging the copies afterwards (REDUCE_MEAN) gives
// the running statistics of the mean batch, whose ratio m / N is the same codebook the
// whole batch would give. The codebook is recomputed from them after each update
// (after_update), once the host has combined them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace vqvae {

using genhost::engine::Tensor;

struct QuantizerConfig {
    int64_t codes = 64;      // K
    int64_t dim = 16;        // D
    bool ema = false;        // codebook by moving averages instead of the codebook loss
    float decay = 0.99f;     // d
    float dead_threshold = 1.0f;  // restart a code whose N_k is below this (ema; 0 = never)
};

struct Quantized {
    Tensor z_q;                      // [M, D], straight-through: the value of the codes, the gradient of z_e
    Tensor codebook_loss, commitment_loss;  // scalars; codebook_loss is 0 with ema
    std::vector<int64_t> codes;      // [M]
    float perplexity = 0;            // exp(entropy of the batch's code frequencies)
    int64_t restarted = 0;           // codes restarted this step (ema)
};

class VectorQuantizer {
public:
    VectorQuantizer(genhost::engine::Parameters& p, const QuantizerConfig& config, genhost::engine::Generator& init);

    // z_e [M, D] -> the quantized vectors and losses; with ema and `training`, also
    // updates N and m in place (random restarts drawn from `rng`).
    Quantized operator()(const Tensor& z_e, bool training, genhost::engine::Generator& rng);
    // Nearest codes of z_e [M, D] (no gradient).
    std::vector<int64_t> nearest(const Tensor& z_e) const;
    // Code vectors e_k, [M, D] (no gradient).
    Tensor lookup(const std::vector<int64_t>& codes) const;
    // ema: e_k = m_k / smoothed N_k. Called after the host combined the statistics.
    void refresh_codebook();

    const QuantizerConfig& config() const { return config_; }

private:
    void update_statistics(const Tensor& z_e, const std::vector<int64_t>& codes, genhost::engine::Generator& rng,
                           Quantized& q);

    QuantizerConfig config_;
    Tensor codebook_;             // [K, D]: a parameter (loss) or a buffer (ema)
    Tensor ema_count_, ema_sum_;  // [K], [K, D] buffers (ema only)
};

}  // namespace vqvae
