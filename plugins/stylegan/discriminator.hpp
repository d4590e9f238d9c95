// The discriminator D: images -> scores, a plain conv net after StyleGAN2's (its residual
// connections dropped: at 28x28 and three resolutions they buy little):
//
//   fromRGB 1x1 -> [c0, 28, 28] -> conv, conv -> avg pool -> [c1, 14, 14] -> conv, conv
//   -> avg pool -> [c2, 7, 7] -> minibatch stddev (+1 channel) -> conv -> fc -> fc -> score
//
// Every layer has an equalized learning rate and leaky ReLU 0.2 with gain sqrt(2). The
// minibatch standard deviation (Karras et al. 2018, sec. 3) appends the average over
// features of the per-feature std across the batch, so D can see a batch lacking variety.
// No BatchNorm: R1 needs D's second derivative (docs/engine.md).
#pragma once

#include <array>
#include <vector>

#include "layers.hpp"

namespace stylegan {

class Discriminator {
public:
    // channels: the widths at 28x28, 14x14 and 7x7.
    Discriminator(genhost::engine::Parameters& p, const std::string& name, int64_t image_channels,
                  const std::array<int64_t, 3>& channels, genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x) const;  // [N, C, 28, 28] in [-1, 1] -> scores [N]

private:
    std::vector<EqualConv2d> convs_;  // fromRGB, then two per resolution, then the epilogue's
    std::unique_ptr<EqualLinear> fc_, out_;
};

// The minibatch stddev channel: x [N, C, H, W] -> [N, C + 1, H, W].
Tensor minibatch_stddev(const Tensor& x);

}  // namespace stylegan
