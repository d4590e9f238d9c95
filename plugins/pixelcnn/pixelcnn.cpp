#include "pixelcnn.hpp"

#include <stdexcept>

#include "cache.hpp"

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

// Every layer at one pixel (cache.hpp): the masked k x k convolutions read the window of
// their input around it, whose open taps all lie on earlier pixels (stored by earlier
// steps) or on the pixel itself (computed just before, in this step); 1x1 layers need
// the pixel only. planes_[i] holds what block i's masked 3x3 convolution reads: relu(h)
// (plain) or relu(reduce(relu(h))) (residual).
class PixelCnnStepper : public Stepper {
public:
    PixelCnnStepper(const PixelCnn& net, int64_t n, int64_t h, int64_t w) : net_(net), n_(n) {
        const int64_t width = net.config_.residual ? net.config_.channels / 2 : net.config_.channels;
        auto dense = [](const MaskedConv& c) { return Dense(c.weight, c.bias, c.mask()); };
        input_ = dense(*net.input_);
        for (const PixelCnn::Block& b : net.blocks_) {
            planes_.push_back(Tensor::zeros({n, width, h, w}));
            conv_.push_back(dense(*b.conv));
            if (b.reduce) reduce_.push_back(dense(*b.reduce)), expand_.push_back(dense(*b.expand));
        }
        out1_ = dense(*net.out1_), out2_ = dense(*net.out2_);
    }

    Tensor step(const Tensor& input, int64_t y, int64_t x) override {
        const PixelCnn& net = net_;
        const int64_t k = net.input_->half();
        Tensor h = input_(window(input, y - k, x - k, 2 * k + 1, 2 * k + 1));  // [n, channels]
        for (size_t i = 0; i < net.blocks_.size(); ++i) {
            const int64_t r = net.blocks_[i].conv->half();
            if (net.config_.residual) {
                put(planes_[i], relu(reduce_[i](relu(h))), y, x);
                h = h + expand_[i](relu(conv_[i](window(planes_[i], y - r, x - r, 2 * r + 1, 2 * r + 1))));
            } else {
                put(planes_[i], relu(h), y, x);
                h = conv_[i](window(planes_[i], y - r, x - r, 2 * r + 1, 2 * r + 1));
            }
        }
        Tensor logits = out2_(relu(out1_(relu(h))));  // [n, L * C], levels major
        return reshape(logits, {n_, net.config_.image.levels, net.config_.image.channels});
    }

private:
    const PixelCnn& net_;
    int64_t n_;
    std::vector<Tensor> planes_;
    // The layers as matrices of their open taps, once per run (the weights do not change
    // during one).
    Dense input_, out1_, out2_;
    std::vector<Dense> conv_, reduce_, expand_;
};

std::unique_ptr<Stepper> PixelCnn::stepper(int64_t n, const std::vector<int64_t>&, int64_t h, int64_t w) const {
    return std::make_unique<PixelCnnStepper>(*this, n, h, w);
}

}  // namespace pixelcnn
