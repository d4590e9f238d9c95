// The encoder and decoder of the VQ-VAE (van den Oord et al. 2017, section 4.1, scaled to
// 28x28 images): two stride-2 4x4 convolutions take the image to a quarter of its side
// (28 -> 14 -> 7), residual blocks refine it, and a 1x1 convolution gives one D-vector per
// position, z_e [N, D, H/4, W/4]. The decoder mirrors it with transposed convolutions and
// returns logits; sigmoid(logits) is the reconstruction in [0, 1].
//
//   encoder: conv 4x4/2 (hidden/2) -> relu -> conv 4x4/2 (hidden) -> relu -> conv 3x3
//            -> [res block] x res_blocks -> relu -> conv 1x1 (D)
//   decoder: conv 3x3 (hidden) -> [res block] x res_blocks -> relu
//            -> deconv 4x4/2 (hidden/2) -> relu -> deconv 4x4/2 (C)
//   res block: x + conv 1x1 (relu (conv 3x3 (relu x)))   (3x3 to hidden/2, 1x1 back)
#pragma once

#include <vector>

#include <genhost/engine/engine.hpp>

namespace vqvae {

using genhost::engine::Tensor;

struct NetworkShape {
    int64_t channels = 1;   // image channels
    int64_t hidden = 64;    // width of the convolutions
    int64_t res_blocks = 2;
    int64_t code_dim = 16;  // D
};

struct ResBlock {
    genhost::engine::Conv2d conv1, conv2;
    ResBlock(genhost::engine::Parameters& p, const std::string& name, int64_t channels, genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x) const;
};

class Encoder {
public:
    Encoder(genhost::engine::Parameters& p, const NetworkShape& s, genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x) const;  // [N, C, H, W] in [0, 1] -> z_e [N, D, H/4, W/4]

private:
    genhost::engine::Conv2d conv1_, conv2_, conv3_;
    std::vector<ResBlock> res_;
    genhost::engine::Conv2d out_;
};

class Decoder {
public:
    Decoder(genhost::engine::Parameters& p, const NetworkShape& s, genhost::engine::Generator& init);
    Tensor operator()(const Tensor& z) const;  // [N, D, h, w] -> logits [N, C, 4h, 4w]

private:
    genhost::engine::Conv2d in_;
    std::vector<ResBlock> res_;
    genhost::engine::ConvTranspose2d deconv1_, deconv2_;
};

}  // namespace vqvae
