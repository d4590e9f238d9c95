#include "unet.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <genhost/engine/engine.hpp>

#include "embedding.hpp"

namespace genhost::unet {

using namespace engine;

struct UNet::Level {
    std::vector<ResnetBlock> resnets;
    std::vector<std::unique_ptr<AttentionBlock>> attentions;  // null where the level has none
    std::unique_ptr<Downsample> down;
    std::unique_ptr<Upsample> up;
};

namespace {

void check_groups(int64_t channels, int64_t groups, const std::string& where) {
    if (channels % groups != 0)
        throw std::invalid_argument(where + " has " + std::to_string(channels) +
                                    " channels, which norm_num_groups " + std::to_string(groups) +
                                    " does not divide; choose norm_num_groups dividing every level's width");
}

}  // namespace

UNet::UNet(Parameters& p, const UNetConfig& c, Generator& init) : config_(c), temb_dim_(4 * c.base_channels) {
    const int64_t levels = static_cast<int64_t>(c.channel_mult.size());
    if (levels == 0 || levels > 6)
        throw std::invalid_argument("channel_mult must have 1 to 6 levels, it has " + std::to_string(levels));
    for (int64_t m : c.channel_mult)
        if (m < 1 || m * c.base_channels > 4096)  // a bound, so a typo cannot ask for gigabytes
            throw std::invalid_argument("channel_mult entry " + std::to_string(m) + " times base_channels " +
                                        std::to_string(c.base_channels) + " is outside [1, 4096] channels");
    if (c.image_size % (int64_t{1} << (levels - 1)) != 0)
        throw std::invalid_argument("images of " + std::to_string(c.image_size) + " pixels cannot be halved " +
                                    std::to_string(levels - 1) + " times (channel_mult has " +
                                    std::to_string(levels) + " levels); use fewer levels");
    auto width = [&](int64_t level) { return c.base_channels * c.channel_mult[static_cast<size_t>(level)]; };
    auto attends = [&](int64_t size) {
        return std::find(c.attention_resolutions.begin(), c.attention_resolutions.end(), size) !=
               c.attention_resolutions.end();
    };
    for (int64_t i = 0; i < levels; ++i) check_groups(width(i), c.norm_num_groups, "level " + std::to_string(i));

    time_fc1_ = std::make_unique<Linear>(p, "time_embedding.linear_1", c.base_channels, temb_dim_, init);
    time_fc2_ = std::make_unique<Linear>(p, "time_embedding.linear_2", temb_dim_, temb_dim_, init);
    if (c.num_class_embeds > 0)  // one extra row: the null class of classifier-free guidance
        class_embedding_ = std::make_unique<Embedding>(p, "class_embedding", c.num_class_embeds + 1, temb_dim_, init);
    conv_in_ = std::make_unique<Conv2d>(p, "conv_in", c.in_channels, width(0), 3, Conv2dOptions{1, 1}, init);

    std::vector<int64_t> skip_channels = {width(0)};
    int64_t ch = width(0), size = c.image_size;
    for (int64_t i = 0; i < levels; ++i) {
        auto level = std::make_unique<Level>();
        const std::string name = "down_blocks." + std::to_string(i);
        for (int64_t j = 0; j < c.layers_per_block; ++j) {
            const std::string at = std::to_string(j);
            level->resnets.emplace_back(p, name + ".resnets." + at, ch, width(i), temb_dim_, c.norm_num_groups,
                                        c.dropout, init);
            ch = width(i);
            level->attentions.push_back(attends(size) ? std::make_unique<AttentionBlock>(
                                                            p, name + ".attentions." + at, ch, c.attention_head_dim,
                                                            c.norm_num_groups, init)
                                                      : nullptr);
            skip_channels.push_back(ch);
        }
        if (i + 1 < levels) {
            level->down = std::make_unique<Downsample>(p, name + ".downsamplers.0", ch, init);
            skip_channels.push_back(ch);
            size /= 2;
        }
        down_.push_back(std::move(level));
    }

    mid_res1_ = std::make_unique<ResnetBlock>(p, "mid_block.resnets.0", ch, ch, temb_dim_, c.norm_num_groups,
                                              c.dropout, init);
    mid_attn_ = std::make_unique<AttentionBlock>(p, "mid_block.attentions.0", ch, c.attention_head_dim,
                                                 c.norm_num_groups, init);
    mid_res2_ = std::make_unique<ResnetBlock>(p, "mid_block.resnets.1", ch, ch, temb_dim_, c.norm_num_groups,
                                              c.dropout, init);

    for (int64_t i = levels - 1, k = 0; i >= 0; --i, ++k) {
        auto level = std::make_unique<Level>();
        const std::string name = "up_blocks." + std::to_string(k);
        for (int64_t j = 0; j <= c.layers_per_block; ++j) {
            const std::string at = std::to_string(j);
            const int64_t skip = skip_channels.back();
            skip_channels.pop_back();
            level->resnets.emplace_back(p, name + ".resnets." + at, ch + skip, width(i), temb_dim_,
                                        c.norm_num_groups, c.dropout, init);
            ch = width(i);
            level->attentions.push_back(attends(size) ? std::make_unique<AttentionBlock>(
                                                            p, name + ".attentions." + at, ch, c.attention_head_dim,
                                                            c.norm_num_groups, init)
                                                      : nullptr);
        }
        if (i > 0) {
            level->up = std::make_unique<Upsample>(p, name + ".upsamplers.0", ch, init);
            size *= 2;
        }
        up_.push_back(std::move(level));
    }
    norm_out_ = std::make_unique<GroupNorm>(p, "conv_norm_out", c.norm_num_groups, ch);
    conv_out_ = std::make_unique<Conv2d>(p, "conv_out", ch, c.in_channels, 3, Conv2dOptions{1, 1}, init);
}

UNet::~UNet() = default;

Tensor UNet::operator()(const Tensor& x, const std::vector<float>& timesteps, const std::vector<int64_t>& labels,
                        bool training, Generator& noise) const {
    const int64_t n = x.size(0);
    Tensor temb = (*time_fc2_)(silu((*time_fc1_)(timestep_embedding(timesteps, config_.base_channels))));
    if (class_embedding_) {
        std::vector<int64_t> rows(static_cast<size_t>(n), config_.num_class_embeds);  // null class
        for (size_t i = 0; i < labels.size(); ++i)
            if (labels[i] >= 0) rows[i] = labels[i];
        temb = temb + (*class_embedding_)(rows, {n});
    }

    Tensor h = (*conv_in_)(x);
    std::vector<Tensor> skips = {h};
    for (const auto& level : down_) {
        for (size_t j = 0; j < level->resnets.size(); ++j) {
            h = level->resnets[j](h, temb, training, noise);
            if (level->attentions[j]) h = (*level->attentions[j])(h);
            skips.push_back(h);
        }
        if (level->down) {
            h = (*level->down)(h);
            skips.push_back(h);
        }
    }
    h = (*mid_res2_)((*mid_attn_)((*mid_res1_)(h, temb, training, noise)), temb, training, noise);
    for (const auto& level : up_) {
        for (size_t j = 0; j < level->resnets.size(); ++j) {
            h = level->resnets[j](concat({h, skips.back()}, 1), temb, training, noise);
            skips.pop_back();
            if (level->attentions[j]) h = (*level->attentions[j])(h);
        }
        if (level->up) h = (*level->up)(h);
    }
    return (*conv_out_)(silu((*norm_out_)(h)));
}

}  // namespace genhost::unet
