// Spectral normalisation of a discriminator weight (Miyato et al. 2018), as
// torch.nn.utils.spectral_norm computes it:
//
//   W_SN = W / sigma(W),   sigma(W) = u^T W v  (W viewed as [rows, rest])
//   one power iteration per training step:  v = normalize(W^T u),  u = normalize(W v)
//
// u [rows] and v [rest] are buffers (saved in checkpoints, never trained; torch's
// weight_u and weight_v), so a resumed run continues the same iteration. The gradient
// reaches W through W / sigma with u and v held constant, as in torch.
#pragma once

#include <memory>
#include <string>

#include <genhost/engine/engine.hpp>

namespace gan {

using genhost::engine::Tensor;

class SpectralNorm {
public:
    // Registers "<name>_u" and "<name>_v" for `weight`, both drawn N(0, 1) and normalised.
    SpectralNorm(genhost::engine::Parameters& params, const std::string& name, const Tensor& weight,
                 genhost::engine::Generator& init);
    // W / sigma(W), after one power iteration when `update` (a training step).
    Tensor operator()(bool update);
    float sigma() const;  // of the current W, u, v (for tests and logs)

private:
    Tensor weight_, u_, v_;
};

}  // namespace gan

namespace gan {

// A discriminator weight as one phase uses it: W itself, or W / sigma(W) with spectral norm.
class DiscriminatorWeight {
public:
    DiscriminatorWeight(genhost::engine::Parameters& params, const std::string& name, const Tensor& weight,
                        bool spectral_norm, genhost::engine::Generator& init)
        : raw_(weight), used_(weight) {
        if (spectral_norm) sn_ = std::make_unique<SpectralNorm>(params, name, weight, init);
    }
    void begin(bool update_sn) { used_ = sn_ ? (*sn_)(update_sn) : raw_; }
    const Tensor& operator()() const { return used_; }
    const SpectralNorm* spectral_norm() const { return sn_.get(); }

private:
    Tensor raw_, used_;
    std::unique_ptr<SpectralNorm> sn_;
};

}  // namespace gan
