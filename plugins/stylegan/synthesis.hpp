// The synthesis network g: W^L -> images (StyleGAN2, Karras et al. 2020, fig. 2d). It
// starts from a learned constant [C0, 7, 7] and doubles the resolution twice to 28x28:
//
//   const 7x7 -> conv(w_0) -> up, conv(w_1) -> conv(w_2) -> up, conv(w_3) -> conv(w_4) -> toRGB(w_5)
//
// Each conv is a 3x3 modulated, demodulated convolution (layers.hpp) whose style s = A_l(w_l)
// comes from its own w_l (A_l an affine map, bias 1), followed by per-pixel noise B_l * n
// (n ~ N(0, 1) [N, 1, H, W], B_l a learned strength, 0 at first), a bias and leaky ReLU.
// toRGB is a modulated 1x1 conv without demodulation. Upsampling is bilinear before the
// conv (the official code uses a transposed conv with a [1 3 3 1] filter: the same role).
//
// So there are L = 6 style inputs, ws [N, L, w_dim]: the same w in every row is plain
// sampling; different ws per layer are style mixing. Layers 0-2 act at 7x7 and 14x14
// (coarse: pose, shape, class), layers 3-5 at 28x28 (fine: texture, brightness).
#pragma once

#include <array>
#include <vector>

#include "layers.hpp"

namespace stylegan {

class Synthesis {
public:
    // channels: the widths at 7x7, 14x14 and 28x28.
    Synthesis(genhost::engine::Parameters& p, const std::string& name, int64_t w_dim,
              const std::array<int64_t, 3>& channels, int64_t image_channels, genhost::engine::Generator& init);

    int64_t num_ws() const { return static_cast<int64_t>(convs_.size()) + 1; }

    // Noise maps for every conv, [N, 1, H, W] each; row i from seeds[i] alone when given
    // (so an image does not depend on its batch), else all from `seed`.
    std::vector<Tensor> draw_noise(int64_t n, uint64_t seed, const uint64_t* seeds = nullptr) const;

    // ws [N, num_ws, w_dim], noise from draw_noise -> images [N, C, 28, 28], about [-1, 1].
    Tensor operator()(const Tensor& ws, const std::vector<Tensor>& noise) const;

private:
    struct StyledConv {
        EqualLinear affine;           // w -> s [N, Cin]
        Tensor weight, bias, noise_strength;
        float gain;
        bool up;
        int64_t size;                 // the output's H = W
    };
    Tensor constant_;                 // [1, C0, 7, 7]
    std::vector<StyledConv> convs_;
    std::unique_ptr<EqualLinear> rgb_affine_;
    Tensor rgb_weight_, rgb_bias_;
    float rgb_gain_;
};

}  // namespace stylegan
