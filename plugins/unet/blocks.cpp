#include "blocks.hpp"

#include <stdexcept>

#include <genhost/engine/engine.hpp>

namespace genhost::unet {

using namespace engine;

ResnetBlock::ResnetBlock(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t temb_dim,
                         int64_t groups, float dropout, Generator& init)
    : norm1_(p, name + ".norm1", groups, in), norm2_(p, name + ".norm2", groups, out),
      conv1_(p, name + ".conv1", in, out, 3, {1, 1}, init), conv2_(p, name + ".conv2", out, out, 3, {1, 1}, init),
      time_proj_(p, name + ".time_emb_proj", temb_dim, out, init), dropout_(dropout) {
    if (in != out) shortcut_ = std::make_unique<Conv2d>(p, name + ".conv_shortcut", in, out, 1, Conv2dOptions{}, init);
}

Tensor ResnetBlock::operator()(const Tensor& x, const Tensor& temb, bool training, Generator& noise) const {
    Tensor h = conv1_(silu(norm1_(x)));
    Tensor t = time_proj_(silu(temb));
    h = h + reshape(t, {t.size(0), t.size(1), 1, 1});
    h = silu(norm2_(h));
    if (dropout_ > 0.0f) h = dropout(h, dropout_, training, noise);
    h = conv2_(h);
    return (shortcut_ ? (*shortcut_)(x) : x) + h;
}

AttentionBlock::AttentionBlock(Parameters& p, const std::string& name, int64_t channels, int64_t head_dim,
                               int64_t groups, Generator& init)
    : norm_(p, name + ".group_norm", groups, channels), query_(p, name + ".to_q", channels, channels, init),
      key_(p, name + ".to_k", channels, channels, init), value_(p, name + ".to_v", channels, channels, init),
      proj_(p, name + ".to_out", channels, channels, init), heads_(channels / head_dim) {
    if (channels % head_dim != 0)
        throw std::invalid_argument("attention at " + name + ": " + std::to_string(channels) +
                                    " channels do not split into heads of attention_head_dim " +
                                    std::to_string(head_dim) + "; choose a divisor of the channel count");
}

Tensor AttentionBlock::operator()(const Tensor& x) const {
    const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3), d = c / heads_;
    // [N, C, H, W] -> [N, HW, C]: each position is a token.
    Tensor tokens = transpose(reshape(norm_(x), {n, c, hw}), 1, 2);
    auto heads = [&](const Linear& f) { return transpose(reshape(f(tokens), {n, hw, heads_, d}), 1, 2); };
    Tensor a = scaled_dot_product_attention(heads(query_), heads(key_), heads(value_));  // [N, heads, HW, d]
    Tensor merged = reshape(transpose(a, 1, 2), {n, hw, c});
    Tensor out = transpose(proj_(merged), 1, 2);  // [N, C, HW]
    return x + reshape(out, {n, c, x.size(2), x.size(3)});
}

Downsample::Downsample(Parameters& p, const std::string& name, int64_t channels, Generator& init)
    : conv(p, name + ".conv", channels, channels, 3, {2, 1}, init) {}

Upsample::Upsample(Parameters& p, const std::string& name, int64_t channels, Generator& init)
    : conv(p, name + ".conv", channels, channels, 3, {1, 1}, init) {}

Tensor Upsample::operator()(const Tensor& x) const { return conv(upsample_nearest2d(x, 2)); }

}  // namespace genhost::unet
