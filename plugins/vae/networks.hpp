// The encoder q(z | x, y) and decoder p(x | z, y) of the VAE, as an MLP or a small
// convolutional network. Both see images flattened to [N, C*H*W] in [0, 1] and the
// class label as a one-hot row (undefined when the model is not conditional).
//
//   mlp:  x -> [fc -> relu] x len(hidden) -> mu, logvar      (the decoder mirrors it)
//   conv: x -> [conv 4x4 stride 2 -> relu] x len(conv_channels) -> flatten -> mu, logvar
//         z -> fc -> relu -> [transposed conv 4x4 stride 2 (-> relu)] x len(conv_channels)
// so with conv_channels [32, 64] a 28x28 image goes 28 -> 14 -> 7 and back.
// conv with latent_channels c > 0 keeps the latent spatial, as latent diffusion's first
// stage (Rombach et al. 2022): the encoder ends in 1x1 convolutions to mu and logvar of
// c x 7 x 7 (flattened row-major to latent_dim = c * 7 * 7), and the decoder starts with
// a 3x3 convolution from c channels instead of the fully connected layer.
// The label joins the encoder after the last hidden layer and the decoder at its input.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace vae {

using genhost::engine::Tensor;

struct NetworkShape {
    std::string architecture;            // "mlp" or "conv"
    std::vector<int64_t> hidden;         // mlp layer widths
    std::vector<int64_t> conv_channels;  // conv layer widths
    int64_t channels = 1, height = 28, width = 28;
    int64_t latent_dim = 20;
    int64_t latent_channels = 0;         // conv: > 0 for spatial latents [c, h/2^L, w/2^L]
    int64_t classes = 0;                 // 0 = unconditional
    int64_t outputs_per_pixel = 1;       // decoder values per pixel: 1, 2 (logistic), 256 (categorical)
};

class Encoder {
public:
    Encoder(genhost::engine::Parameters& params, const NetworkShape& shape, genhost::engine::Generator& init);
    // x [N, C*H*W], y [N, classes] or undefined -> (mean, logvar), each [N, latent_dim].
    std::pair<Tensor, Tensor> operator()(const Tensor& x, const Tensor& y) const;

private:
    NetworkShape shape_;
    std::vector<genhost::engine::Linear> fc_;
    std::vector<genhost::engine::Conv2d> conv_;
    std::unique_ptr<genhost::engine::Linear> mu_, logvar_;
    std::unique_ptr<genhost::engine::Conv2d> mu_map_, logvar_map_;  // spatial latents
};

class Decoder {
public:
    Decoder(genhost::engine::Parameters& params, const NetworkShape& shape, genhost::engine::Generator& init);
    // z [N, latent_dim], y as for the encoder -> [N, K*C*H*W] pre-activations, K =
    // outputs_per_pixel: value j of pixel p at column j*C*H*W + p (for conv, output
    // channel j*C + c).
    Tensor operator()(const Tensor& z, const Tensor& y) const;

private:
    NetworkShape shape_;
    int64_t h0_ = 0, w0_ = 0;  // conv: the smallest feature map, where the fc layer lands
    std::vector<genhost::engine::Linear> fc_;
    std::vector<genhost::engine::ConvTranspose2d> deconv_;
    std::unique_ptr<genhost::engine::Linear> out_;
    std::unique_ptr<genhost::engine::Conv2d> in_map_;  // spatial latents
};

}  // namespace vae
