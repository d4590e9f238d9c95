// CycleGAN's two networks (Zhu et al. 2017, appendix 7.2), sized for 28x28 images.
//
//   ResnetGenerator (after Johnson et al. 2016): c7s1-ngf, d2ngf, d4ngf, R4ngf x blocks,
//       u2ngf, ungf, c7s1-C: 7x7 convs at full size, two 3x3 stride-2 convs down
//       (28 -> 14 -> 7), residual blocks of two 3x3 convs at 7x7, two 4x4 stride-2
//       transposed convs up, tanh. InstanceNorm and ReLU after every conv but the last.
//   PatchDiscriminator (pix2pix's PatchGAN, Isola et al. 2017): 4x4 convs, the first
//       `layers` of stride 2 (ndf, 2ndf, ... capped at 8ndf), then one of stride 1 and a
//       1-channel output: a map of scores, each judging one patch (34x34 pixels with
//       layers 2, the whole image at 28x28; 16x16 with layers 1). InstanceNorm after every
//       conv but the first and the last, LeakyReLU 0.2.
// Zero padding where the paper reflects (the engine has no reflection pad); InstanceNorm
// is GroupNorm with one group per channel (affine). Weights N(0, 0.02), as the authors'
// code initialises them. Images are in [-1, 1].
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace cyclegan {

using genhost::engine::Tensor;

struct NetworkSizes {
    int64_t channels = 1;       // image channels
    int64_t ngf = 16;           // generator width
    int64_t blocks = 3;         // residual blocks at 7x7
    int64_t ndf = 32;           // discriminator width
    int64_t d_layers = 2;       // discriminator's stride-2 convs
};

class ResnetGenerator {
public:
    ResnetGenerator(genhost::engine::Parameters& p, const std::string& name, const NetworkSizes& s,
                    genhost::engine::Generator& init);
    ~ResnetGenerator();
    Tensor operator()(const Tensor& x) const;  // [N, C, 28, 28] -> [N, C, 28, 28]

private:
    struct ConvNorm;  // a conv (or transposed conv) and the InstanceNorm after it
    std::vector<std::unique_ptr<ConvNorm>> down_, blocks_, up_;
    std::unique_ptr<genhost::engine::Conv2d> out_;
};

class PatchDiscriminator {
public:
    PatchDiscriminator(genhost::engine::Parameters& p, const std::string& name, const NetworkSizes& s,
                       genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x) const;  // [N, C, 28, 28] -> scores [N, 1, h, w]

private:
    std::vector<std::unique_ptr<genhost::engine::Conv2d>> convs_;
    std::vector<std::unique_ptr<genhost::engine::GroupNorm>> norms_;  // null where none
};

}  // namespace cyclegan
