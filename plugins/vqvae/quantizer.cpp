#include "quantizer.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace genhost::engine;

namespace vqvae {

VectorQuantizer::VectorQuantizer(Parameters& p, const QuantizerConfig& config, Generator& init) : config_(config) {
    // Uniform in [-1/K, 1/K], as the reference implementation initialises its codebook.
    Tensor e = init.uniform({config.codes, config.dim}, -1.0f / float(config.codes), 1.0f / float(config.codes));
    if (!config.ema) {
        codebook_ = p.add_parameter("quantizer.codebook", e);
        return;
    }
    codebook_ = p.add_buffer("quantizer.codebook", e);
    // N_k = 1 and m_k = e_k: the moving averages start at the initial codebook.
    ema_count_ = p.add_buffer("quantizer.ema_count", Tensor::ones({config.codes}));
    ema_sum_ = p.add_buffer("quantizer.ema_sum", e.clone());
}

std::vector<int64_t> VectorQuantizer::nearest(const Tensor& z_e) const {
    const int64_t m = z_e.size(0), d = config_.dim, k = config_.codes;
    if (z_e.dim() != 2 || z_e.size(1) != d)
        throw std::invalid_argument("quantizer: expected encodings [M, " + std::to_string(d) + "], got " + z_e.shape_str());
    // ||z - e||^2 = ||z||^2 - 2 z.e + ||e||^2; ||z||^2 is the same for every code.
    const float* e = codebook_.data();
    std::vector<float> e_norm(static_cast<size_t>(k));
    for (int64_t j = 0; j < k; ++j) {
        double s = 0;
        for (int64_t c = 0; c < d; ++c) s += double(e[j * d + c]) * e[j * d + c];
        e_norm[size_t(j)] = float(s);
    }
    const float* z = z_e.data();
    std::vector<int64_t> codes(static_cast<size_t>(m));
    for (int64_t i = 0; i < m; ++i) {
        float best = std::numeric_limits<float>::infinity();
        int64_t arg = 0;
        for (int64_t j = 0; j < k; ++j) {
            float dot = 0;
            for (int64_t c = 0; c < d; ++c) dot += z[i * d + c] * e[j * d + c];
            const float dist = e_norm[size_t(j)] - 2.0f * dot;
            if (dist < best) best = dist, arg = j;  // ties: the lowest index, as torch.argmin
        }
        codes[size_t(i)] = arg;
    }
    return codes;
}

Tensor VectorQuantizer::lookup(const std::vector<int64_t>& codes) const {
    for (size_t i = 0; i < codes.size(); ++i)
        if (codes[i] < 0 || codes[i] >= config_.codes)
            throw std::invalid_argument("codes[" + std::to_string(i) + "] is " + std::to_string(codes[i]) +
                                        ", outside the codebook [0, " + std::to_string(config_.codes) + ")");
    NoGradGuard no_grad;
    return embedding(codebook_, codes, {int64_t(codes.size())});
}

Quantized VectorQuantizer::operator()(const Tensor& z_e, bool training, Generator& rng) {
    Quantized q;
    q.codes = nearest(z_e);
    Tensor e = embedding(codebook_, q.codes, {int64_t(q.codes.size())});  // [M, D]
    q.commitment_loss = mse_loss(z_e, e.detach());
    q.codebook_loss = config_.ema ? Tensor::scalar(0.0f) : mse_loss(e, z_e.detach());
    q.z_q = z_e + (e - z_e).detach();  // straight-through

    std::vector<double> freq(static_cast<size_t>(config_.codes), 0.0);
    for (int64_t c : q.codes) freq[size_t(c)] += 1.0 / double(q.codes.size());
    double entropy = 0;
    for (double p : freq) entropy -= p * std::log(p + 1e-10);
    q.perplexity = float(std::exp(entropy));

    if (config_.ema && training) update_statistics(z_e, q.codes, rng, q);
    return q;
}

void VectorQuantizer::update_statistics(const Tensor& z_e, const std::vector<int64_t>& codes, Generator& rng,
                                        Quantized& q) {
    const int64_t m = int64_t(codes.size()), d = config_.dim, k = config_.codes;
    const float decay = config_.decay;
    std::vector<float> count(size_t(k), 0.0f), sum(size_t(k * d), 0.0f);
    const float* z = z_e.data();
    for (int64_t i = 0; i < m; ++i) {
        count[size_t(codes[size_t(i)])] += 1.0f;
        for (int64_t c = 0; c < d; ++c) sum[size_t(codes[size_t(i)] * d + c)] += z[i * d + c];
    }
    float* n = ema_count_.data();
    float* s = ema_sum_.data();
    for (int64_t j = 0; j < k; ++j) {
        n[j] = decay * n[j] + (1.0f - decay) * count[size_t(j)];
        for (int64_t c = 0; c < d; ++c) s[j * d + c] = decay * s[j * d + c] + (1.0f - decay) * sum[size_t(j * d + c)];
    }
    if (config_.dead_threshold <= 0) return;
    // Restarts: a dead code becomes a random encoding of this batch, with N_k = 1.
    std::vector<float> u(static_cast<size_t>(k));
    rng.fill_uniform(u.data(), k);
    for (int64_t j = 0; j < k; ++j) {
        if (n[j] >= config_.dead_threshold) continue;
        const int64_t i = std::min<int64_t>(m - 1, int64_t(u[size_t(j)] * float(m)));
        for (int64_t c = 0; c < d; ++c) s[j * d + c] = z[i * d + c];
        n[j] = 1.0f;
        ++q.restarted;
    }
}

void VectorQuantizer::refresh_codebook() {
    if (!config_.ema) return;
    const int64_t k = config_.codes, d = config_.dim;
    const float* n = ema_count_.data();
    const float* s = ema_sum_.data();
    double total = 0;
    for (int64_t j = 0; j < k; ++j) total += n[j];
    constexpr double eps = 1e-5;  // Laplace smoothing of the counts, as the reference
    float* e = codebook_.data();
    for (int64_t j = 0; j < k; ++j) {
        const double smoothed = (n[j] + eps) / (total + double(k) * eps) * total;
        for (int64_t c = 0; c < d; ++c) e[j * d + c] = float(s[j * d + c] / smoothed);
    }
}

}  // namespace vqvae
