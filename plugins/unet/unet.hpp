// The denoising U-Net (Ronneberger et al. 2015 as adapted by Ho et al. 2020), laid out as
// diffusers' UNet2DModel with DownBlock2D/AttnDownBlock2D and their up counterparts:
//
//   temb = MLP(sinusoidal(t)) [+ class_embedding(label)]      (label -1 -> the null class)
//   h = conv_in(x);  skips = [h]
//   down level i (width base*channel_mult[i]): layers_per_block x (ResnetBlock [+ Attention]),
//       each output pushed to skips; then Downsample (not after the last level), pushed too
//   mid: ResnetBlock, Attention, ResnetBlock
//   up level i (reversed): (layers_per_block + 1) x (ResnetBlock(concat(h, skips.pop())) [+ Attention]);
//       then Upsample (not after the first level)
//   out = conv_out(silu(norm_out(h)))
// Attention runs at the levels whose feature map height is in attention_resolutions.
// bench/unet/torch_unet.py is the same network in PyTorch, parameter for parameter;
// tests/plugins/unet/forward_test.cpp checks the two agree.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <genhost/engine/modules.hpp>

#include "blocks.hpp"

namespace genhost::unet {

struct UNetConfig {
    int64_t in_channels = 1, image_size = 28;             // square images
    int64_t base_channels = 32;                           // width of the first level
    std::vector<int64_t> channel_mult = {1, 2, 2};        // width of level i = base * mult[i]
    int64_t layers_per_block = 1;
    std::vector<int64_t> attention_resolutions = {7};     // feature-map heights with self-attention
    int64_t attention_head_dim = 32;
    int64_t norm_num_groups = 8;
    float dropout = 0.0f;
    int64_t num_class_embeds = 0;                         // 0: unconditional
};

class UNet {
public:
    // Registers every weight in `params`, initialised from `init`. Throws
    // std::invalid_argument naming the setting when the config cannot work.
    UNet(engine::Parameters& params, const UNetConfig& config, engine::Generator& init);
    ~UNet();

    // x [N, C, H, W], timesteps N values, labels N values in [-1, num_class_embeds) or
    // empty (all -1). `noise` draws the dropout masks when training.
    engine::Tensor operator()(const engine::Tensor& x, const std::vector<float>& timesteps,
                              const std::vector<int64_t>& labels, bool training, engine::Generator& noise) const;

    const UNetConfig& config() const { return config_; }

private:
    struct Level;
    UNetConfig config_;
    int64_t temb_dim_;
    std::unique_ptr<engine::Linear> time_fc1_, time_fc2_;
    std::unique_ptr<engine::Embedding> class_embedding_;
    std::unique_ptr<engine::Conv2d> conv_in_, conv_out_;
    std::unique_ptr<engine::GroupNorm> norm_out_;
    std::vector<std::unique_ptr<Level>> down_, up_;
    std::unique_ptr<ResnetBlock> mid_res1_, mid_res2_;
    std::unique_ptr<AttentionBlock> mid_attn_;
};

}  // namespace genhost::unet
