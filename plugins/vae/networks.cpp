#include "networks.hpp"

#include <stdexcept>

using namespace genhost::engine;

namespace vae {

namespace {

// 4x4 kernels, stride 2, padding 1: each layer halves the side exactly (and the
// transposed layer doubles it back) when the side is even.
constexpr int64_t kKernel = 4;
const Conv2dOptions kDown{2, 1};
const ConvTranspose2dOptions kUp{2, 1};

Tensor with_label(const Tensor& h, const Tensor& y) { return y.defined() ? concat({h, y}, 1) : h; }

void check_conv_fits(const NetworkShape& s) {
    const int64_t factor = int64_t(1) << s.conv_channels.size();
    if (s.conv_channels.empty())
        throw std::invalid_argument("architecture: conv needs at least one entry in conv_channels, e.g. [32, 64]");
    if (s.height % factor != 0 || s.width % factor != 0)
        throw std::invalid_argument("architecture: conv halves the image " + std::to_string(s.conv_channels.size()) +
                                    " times (one per conv_channels entry), so height and width must be divisible by " +
                                    std::to_string(factor) + "; the data is " + std::to_string(s.height) + "x" +
                                    std::to_string(s.width) + ": use fewer conv_channels or architecture: mlp");
}

}  // namespace

Encoder::Encoder(Parameters& params, const NetworkShape& shape, Generator& init) : shape_(shape) {
    int64_t features = 0;
    if (shape.architecture == "conv") {
        check_conv_fits(shape);
        int64_t in = shape.channels;
        for (int64_t c : shape.conv_channels) {
            conv_.emplace_back(params, "encoder.conv" + std::to_string(conv_.size() + 1), in, c, kKernel, kDown, init);
            in = c;
        }
        const int64_t down = int64_t(1) << shape.conv_channels.size();
        features = in * (shape.height / down) * (shape.width / down) + shape.classes;
        if (shape.latent_channels > 0) {
            mu_map_ = std::make_unique<Conv2d>(params, "encoder.mu", in, shape.latent_channels, 1, Conv2dOptions{}, init);
            logvar_map_ =
                std::make_unique<Conv2d>(params, "encoder.logvar", in, shape.latent_channels, 1, Conv2dOptions{}, init);
            return;
        }
    } else {
        int64_t in = shape.channels * shape.height * shape.width + shape.classes;
        for (int64_t h : shape.hidden) {
            fc_.emplace_back(params, "encoder.fc" + std::to_string(fc_.size() + 1), in, h, init);
            in = h;
        }
        features = in;
    }
    mu_ = std::make_unique<Linear>(params, "encoder.mu", features, shape.latent_dim, init);
    logvar_ = std::make_unique<Linear>(params, "encoder.logvar", features, shape.latent_dim, init);
}

std::pair<Tensor, Tensor> Encoder::operator()(const Tensor& x, const Tensor& y) const {
    Tensor h;
    if (!conv_.empty()) {
        h = reshape(x, {x.size(0), shape_.channels, shape_.height, shape_.width});
        for (const Conv2d& conv : conv_) h = relu(conv(h));
        if (mu_map_) return {flatten((*mu_map_)(h)), flatten((*logvar_map_)(h))};
        h = with_label(flatten(h), y);
    } else {
        h = with_label(x, y);
        for (const Linear& fc : fc_) h = relu(fc(h));
    }
    return {(*mu_)(h), (*logvar_)(h)};
}

Decoder::Decoder(Parameters& params, const NetworkShape& shape, Generator& init) : shape_(shape) {
    const int64_t pixels = shape.channels * shape.height * shape.width;
    int64_t in = shape.latent_dim + shape.classes;
    if (shape.architecture == "conv") {
        check_conv_fits(shape);
        const int64_t down = int64_t(1) << shape.conv_channels.size();
        h0_ = shape.height / down, w0_ = shape.width / down;
        if (shape.latent_channels > 0)
            in_map_ = std::make_unique<Conv2d>(params, "decoder.in", shape.latent_channels, shape.conv_channels.back(), 3,
                                               Conv2dOptions{1, 1}, init);
        else
            fc_.emplace_back(params, "decoder.fc", in, shape.conv_channels.back() * h0_ * w0_, init);
        for (size_t i = shape.conv_channels.size(); i-- > 0;) {
            const int64_t out = i == 0 ? shape.channels * shape.outputs_per_pixel : shape.conv_channels[i - 1];
            const std::string name = i == 0 ? "decoder.out" : "decoder.deconv" + std::to_string(deconv_.size() + 1);
            deconv_.emplace_back(params, name, shape.conv_channels[i], out, kKernel, kUp, init);
        }
    } else {
        for (auto it = shape.hidden.rbegin(); it != shape.hidden.rend(); ++it) {
            fc_.emplace_back(params, "decoder.fc" + std::to_string(fc_.size() + 1), in, *it, init);
            in = *it;
        }
        out_ = std::make_unique<Linear>(params, "decoder.out", in, pixels * shape.outputs_per_pixel, init);
    }
}

Tensor Decoder::operator()(const Tensor& z, const Tensor& y) const {
    Tensor h = with_label(z, y);
    if (!deconv_.empty()) {
        h = in_map_ ? relu((*in_map_)(reshape(z, {z.size(0), shape_.latent_channels, h0_, w0_})))
                    : reshape(relu(fc_[0](h)), {z.size(0), shape_.conv_channels.back(), h0_, w0_});
        for (size_t i = 0; i < deconv_.size(); ++i) {
            h = deconv_[i](h);
            if (i + 1 < deconv_.size()) h = relu(h);
        }
        return flatten(h);
    }
    for (const Linear& fc : fc_) h = relu(fc(h));
    return (*out_)(h);
}

}  // namespace vae
