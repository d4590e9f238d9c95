#include "pixelcnn.hpp"

#include <stdexcept>

using namespace genhost::engine;

namespace pixelcnn {

PixelCnn::PixelCnn(Parameters& params, const PixelCnnConfig& config, Generator& init) : config_(config) {
    const int64_t c = config.image.channels, h = config.channels;
    if (config.residual && h % 2 != 0)
        throw std::invalid_argument("block: residual halves the channels inside each block; channels must be even, got " +
                                    std::to_string(h));
    if (h < c || config.output_channels < c)
        throw std::invalid_argument("channels and output_channels must be at least the image's " + std::to_string(c) +
                                    " channels (each hidden layer splits its channels among them)");
    input_ = std::make_unique<MaskedConv>(params, "input", c, h, 7, Mask::A, c, init);
    for (int64_t i = 0; i < config.layers; ++i) {
        const std::string name = "layers." + std::to_string(i);
        Block b;
        if (config.residual) {
            b.reduce = std::make_unique<MaskedConv>(params, name + ".reduce", h, h / 2, 1, Mask::B, c, init);
            b.conv = std::make_unique<MaskedConv>(params, name + ".conv", h / 2, h / 2, 3, Mask::B, c, init);
            b.expand = std::make_unique<MaskedConv>(params, name + ".expand", h / 2, h, 1, Mask::B, c, init);
        } else {
            b.conv = std::make_unique<MaskedConv>(params, name + ".conv", h, h, 3, Mask::B, c, init);
        }
        blocks_.push_back(std::move(b));
    }
    out1_ = std::make_unique<MaskedConv>(params, "output.0", h, config.output_channels, 1, Mask::B, c, init);
    out2_ = std::make_unique<MaskedConv>(params, "output.1", config.output_channels, config.image.levels * c, 1,
                                         Mask::B, c, init, /*interleaved_out=*/true);
}

Tensor PixelCnn::operator()(const Tensor& x, const std::vector<int64_t>&) const {
    Tensor h = (*input_)(x);
    for (const Block& b : blocks_) {
        if (config_.residual)
            h = h + (*b.expand)(relu((*b.conv)(relu((*b.reduce)(relu(h))))));
        else
            h = (*b.conv)(relu(h));
    }
    Tensor logits = (*out2_)(relu((*out1_)(relu(h))));
    return reshape(logits, {x.size(0), config_.image.levels, config_.image.channels, x.size(2), x.size(3)});
}

}  // namespace pixelcnn
