// The generator G(z, y) and discriminator D(x, y) of every GAN here, as two architectures:
//
//   mlp    (Goodfellow et al. 2014): fully connected layers with LeakyReLU(0.2); G ends in
//          tanh, D in one score.
//   dcgan  (Radford et al. 2016), PyTorch's examples/dcgan scaled from 64x64 to 28x28:
//          G: z -> convT 7x7 -> [ngf*4, 7, 7] -> convT 4x4 s2 -> [ngf*2, 14, 14] -> convT 4x4 s2
//             -> [C, 28, 28], BatchNorm + ReLU between, tanh at the end;
//          D: x -> conv 4x4 s2 -> [ndf, 14, 14] -> conv 4x4 s2 -> [ndf*2, 7, 7] -> conv 7x7 -> score,
//             LeakyReLU(0.2) between, the norm (batch, layer or none) after every conv but the
//             first; all weights N(0, 0.02), norm scales N(1, 0.02).
//
// Images are in [-1, 1] here (the plugin maps the data range). Labels come as one-hot rows
// y [N, classes] (undefined when unconditional). G always sees [z, y] concatenated (Mirza &
// Osindero 2014); D sees them by `conditioning`: concat (y joins the input: as extra
// constant channels for dcgan) or projection (Miyato & Koyama 2018):
//   D(x, y) = psi(phi(x)) + <V y, phi(x)>,  phi(x) the last features (summed over space).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace gan {

using genhost::engine::Tensor;

struct NetworkShape {
    std::string architecture = "mlp";            // "mlp" or "dcgan"
    int64_t channels = 1, height = 28, width = 28;
    int64_t latent_dim = 100;
    int64_t classes = 0;                         // 0 = unconditional
    std::string conditioning = "concat";         // D's use of y: "concat" or "projection"
    std::vector<int64_t> generator_hidden = {256, 512, 1024};      // mlp
    std::vector<int64_t> discriminator_hidden = {512, 256};        // mlp
    int64_t ngf = 64, ndf = 64;                  // dcgan widths
    std::string discriminator_norm = "batch";    // dcgan D: "batch", "layer" or "none"
    bool spectral_norm = false;                  // D's weights W / sigma(W)
};

class GeneratorNet {
public:
    virtual ~GeneratorNet() = default;
    // z [N, latent_dim], y [N, classes] or undefined -> images [N, C, H, W] in [-1, 1].
    // `training`: BatchNorm uses (and updates) batch statistics; else its running ones.
    virtual Tensor operator()(const Tensor& z, const Tensor& y, bool training) const = 0;
};

class DiscriminatorNet {
public:
    virtual ~DiscriminatorNet() = default;
    // Starts a phase: takes the weights as this phase will use them (with spectral norm:
    // divided by sigma, after one power iteration when `update_sn`).
    virtual void begin(bool update_sn) = 0;
    // x [N, C, H, W] in [-1, 1], y as for G -> scores [N]. BatchNorm uses batch statistics.
    virtual Tensor operator()(const Tensor& x, const Tensor& y) const = 0;
    virtual bool has_batch_norm() const = 0;
};

// Register their weights in `params` under "<group>.<layer>.*", in the params' current group.
std::unique_ptr<GeneratorNet> make_generator(genhost::engine::Parameters& params, const std::string& group,
                                             const NetworkShape& shape, genhost::engine::Generator& init);
std::unique_ptr<DiscriminatorNet> make_discriminator(genhost::engine::Parameters& params, const std::string& group,
                                                     const NetworkShape& shape, genhost::engine::Generator& init);

}  // namespace gan
