// The U-Net's building blocks, as in diffusers' UNet2DModel (Ho et al. 2020, the
// "ADM"-style blocks of Nichol & Dhariwal 2021 without scale-shift norm).
//
//   ResnetBlock:  h = conv1(silu(norm1(x))) + time_proj(silu(temb))[:, :, None, None]
//                 h = conv2(dropout(silu(norm2(h))))
//                 out = shortcut(x) + h          (shortcut: 1x1 conv when channels change)
//   AttentionBlock: single-resolution multi-head self-attention over the H*W positions,
//                 out = x + proj(attention(norm(x)))
//   Downsample: 3x3 conv, stride 2.   Upsample: nearest x2, then 3x3 conv.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <genhost/engine/modules.hpp>

namespace genhost::unet {

class ResnetBlock {
public:
    ResnetBlock(engine::Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t temb_dim,
                int64_t groups, float dropout, engine::Generator& init);
    // x [N, in, H, W], temb [N, temb_dim] -> [N, out, H, W]
    engine::Tensor operator()(const engine::Tensor& x, const engine::Tensor& temb, bool training,
                              engine::Generator& noise) const;

private:
    engine::GroupNorm norm1_, norm2_;
    engine::Conv2d conv1_, conv2_;
    engine::Linear time_proj_;
    std::unique_ptr<engine::Conv2d> shortcut_;
    float dropout_;
};

class AttentionBlock {
public:
    AttentionBlock(engine::Parameters& p, const std::string& name, int64_t channels, int64_t head_dim,
                   int64_t groups, engine::Generator& init);
    engine::Tensor operator()(const engine::Tensor& x) const;

private:
    engine::GroupNorm norm_;
    engine::Linear query_, key_, value_, proj_;
    int64_t heads_;
};

struct Downsample {
    engine::Conv2d conv;
    Downsample(engine::Parameters& p, const std::string& name, int64_t channels, engine::Generator& init);
    engine::Tensor operator()(const engine::Tensor& x) const { return conv(x); }
};

struct Upsample {
    engine::Conv2d conv;
    Upsample(engine::Parameters& p, const std::string& name, int64_t channels, engine::Generator& init);
    engine::Tensor operator()(const engine::Tensor& x) const;
};

}  // namespace genhost::unet
