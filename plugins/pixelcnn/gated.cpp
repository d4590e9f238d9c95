#include "gated.hpp"

#include <stdexcept>

#include "cache.hpp"

using namespace genhost::engine;

namespace pixelcnn {

namespace {

// tanh(first half) * sigmoid(second half) along channels.
Tensor gate(const Tensor& x) {
    const int64_t p = x.size(1) / 2;
    return tanh(slice(x, 1, 0, p)) * sigmoid(slice(x, 1, p, 2 * p));
}

// The per-class bias rows of `table` [classes, 2p] as [N, 2p, 1, 1].
Tensor class_bias(const Tensor& table, const std::vector<int64_t>& labels) {
    const auto n = static_cast<int64_t>(labels.size());
    return reshape(embedding(table, labels, {n}), {n, table.size(1), 1, 1});
}

}  // namespace

GatedPixelCnn::GatedPixelCnn(Parameters& params, const GatedConfig& config, Generator& init) : config_(config) {
    if (config.image.channels != 1)
        throw std::invalid_argument("the gated PixelCNN here models single-channel images (the data has " +
                                    std::to_string(config.image.channels) +
                                    " channels); use the pixelcnn plugin, whose masks order the channels");
    if (config.layers < 1) throw std::invalid_argument("layers must be at least 1");
    const int64_t p = config.channels;
    using Kind = ShiftedConv::Kind;
    for (int64_t i = 0; i < config.layers; ++i) {
        const std::string name = "layers." + std::to_string(i);
        const bool first = i == 0;
        const int64_t input = config.input_channels > 0 ? config.input_channels : config.image.channels;
        const int64_t in = first ? input : p, k = first ? config.first_kernel : config.kernel;
        Layer l;
        l.v = std::make_unique<ShiftedConv>(params, name + ".v", in, 2 * p, k,
                                            first ? Kind::vertical_first : Kind::vertical, init);
        l.h = std::make_unique<ShiftedConv>(params, name + ".h", in, 2 * p, k,
                                            first ? Kind::horizontal_first : Kind::horizontal, init);
        l.link = std::make_unique<Conv1x1>(params, name + ".link", 2 * p, 2 * p, init);
        l.skip = std::make_unique<Conv1x1>(params, name + ".skip", p, p, init);
        if (!first) l.residual = std::make_unique<Conv1x1>(params, name + ".residual", p, p, init);
        if (config.image.classes > 0) {
            l.class_v = params.add_parameter(name + ".class_v", Tensor::zeros({config.image.classes, 2 * p}));
            l.class_h = params.add_parameter(name + ".class_h", Tensor::zeros({config.image.classes, 2 * p}));
        }
        layers_.push_back(std::move(l));
    }
    out1_ = std::make_unique<Conv1x1>(params, "output.0", p, config.output_channels, init);
    out2_ = std::make_unique<Conv1x1>(params, "output.1", config.output_channels,
                                      config.image.levels * config.image.channels, init);
    // Last, and the map zeros: the network starts as the one without positions, from the
    // same seed (the same draws above); the map's gradient, through the random 1x1s, is not
    // zero, so it learns from the first step. The 1x1s have no bias: the gates have theirs.
    const int64_t positions = config.position_channels;
    if (positions > 0) {
        position_map_ = params.add_parameter(
            "position.map", Tensor::zeros({1, positions, config.image.height, config.image.width}));
        for (size_t i = 0; i < layers_.size(); ++i) {
            const std::string name = "layers." + std::to_string(i);
            layers_[i].position_v = std::make_unique<Conv1x1>(params, name + ".position_v", positions, 2 * p, init, false);
            layers_[i].position_h = std::make_unique<Conv1x1>(params, name + ".position_h", positions, 2 * p, init, false);
        }
    }
}

int64_t GatedPixelCnn::reach() const {
    return config_.first_kernel / 2 + (config_.layers - 1) * (config_.kernel / 2);
}

std::vector<std::pair<Tensor, Tensor>> GatedPixelCnn::position_biases(int64_t y0, int64_t x0, int64_t h,
                                                                       int64_t w) const {
    std::vector<std::pair<Tensor, Tensor>> out(layers_.size());
    if (!position_map_.defined()) return out;
    const int64_t H = position_map_.size(2), W = position_map_.size(3);
    if (y0 < 0 || x0 < 0 || y0 + h > H || x0 + w > W)
        throw std::invalid_argument("the gated PixelCNN's position map is " + std::to_string(H) + " x " +
                                    std::to_string(W) + " (the image size it was made for), but was asked for rows " +
                                    std::to_string(y0) + ".." + std::to_string(y0 + h - 1) + ", columns " +
                                    std::to_string(x0) + ".." + std::to_string(x0 + w - 1));
    // A 1x1 commutes with cropping: crop the map once, then project it for each gate.
    const Tensor map = slice(slice(position_map_, 2, y0, y0 + h), 3, x0, x0 + w);
    for (size_t i = 0; i < layers_.size(); ++i) out[i] = {(*layers_[i].position_v)(map), (*layers_[i].position_h)(map)};
    return out;
}

Tensor GatedPixelCnn::operator()(const Tensor& x, const std::vector<int64_t>& labels) const {
    return on_window(x, labels, 0, 0);
}

Tensor GatedPixelCnn::on_window(const Tensor& x, const std::vector<int64_t>& labels, int64_t y0, int64_t x0) const {
    const bool conditional = config_.image.classes > 0;
    if (conditional && static_cast<int64_t>(labels.size()) != x.size(0))
        throw std::invalid_argument("a class-conditional network needs one label per image");
    const auto position = position_biases(y0, x0, x.size(2), x.size(3));
    Tensor v = x, h = x, skip;
    for (size_t i = 0; i < layers_.size(); ++i) {
        const Layer& l = layers_[i];
        Tensor v_conv = (*l.v)(v);
        Tensor h_conv = (*l.h)(h) + (*l.link)(v_conv);
        if (conditional) {
            v_conv = v_conv + class_bias(l.class_v, labels);
            h_conv = h_conv + class_bias(l.class_h, labels);
        }
        if (position[i].first.defined()) {
            v_conv = v_conv + position[i].first;
            h_conv = h_conv + position[i].second;
        }
        v = gate(v_conv);
        Tensor h_gated = gate(h_conv);
        Tensor s = (*l.skip)(h_gated);
        skip = skip.defined() ? skip + s : s;
        h = l.residual ? h + (*l.residual)(h_gated) : h_gated;
    }
    Tensor logits = (*out2_)(relu((*out1_)(relu(skip))));
    return reshape(logits, {x.size(0), config_.image.levels, config_.image.channels, x.size(2), x.size(3)});  // C = 1
}

// One pixel of every layer (cache.hpp). The vertical stack at (y, x) reads the previous
// layer's vertical stack up to r columns to the right, which one-pixel steps would not have
// computed yet; it depends only on the rows above, so it is computed for the whole row when
// a step enters the row. The horizontal stack then needs only its row to the left, and the
// link from this row's vertical convolution at the pixel.
class GatedStepper : public Stepper {
public:
    GatedStepper(const GatedPixelCnn& net, int64_t n, const std::vector<int64_t>& labels, int64_t h, int64_t w)
        : net_(net), n_(n), w_(w) {
        const int64_t p = net.config_.channels;
        const bool conditional = net.config_.image.classes > 0;
        if (conditional && static_cast<int64_t>(labels.size()) != n)
            throw std::invalid_argument("a class-conditional network needs one label per image");
        for (const GatedPixelCnn::Layer& l : net.layers_) {
            v_.push_back(Tensor::zeros({n, p, h, w}));
            h_.push_back(Tensor::zeros({n, p, h, w}));
            link_.emplace_back();
            bias_v_.push_back(conditional ? class_bias(l.class_v, labels) : Tensor());
            bias_h_.push_back(conditional ? reshape(class_bias(l.class_h, labels), {n, 2 * p}) : Tensor());
            hconv_.emplace_back(l.h->weight, l.h->bias);
            skip_.emplace_back(l.skip->weight, l.skip->bias);
            residual_.push_back(l.residual ? Dense(l.residual->weight, l.residual->bias) : Dense());
        }
        NoGradGuard no_grad;  // a snapshot of the weights for this run, not a training graph
        position_bias_ = net.position_biases(0, 0, h, w);
        out1_ = Dense(net.out1_->weight, net.out1_->bias), out2_ = Dense(net.out2_->weight, net.out2_->bias);
    }

    Tensor step(const Tensor& input, int64_t y, int64_t x) override {
        const GatedPixelCnn& net = net_;
        const int64_t r0 = net.config_.first_kernel / 2, r = net.config_.kernel / 2;
        if (x == 0 || row_ != y) {
            for (size_t i = 0; i < net.layers_.size(); ++i) {
                const GatedPixelCnn::Layer& l = net.layers_[i];
                Tensor v_conv = i == 0 ? conv2d(window(input, y - r0, -r0, r0, w_ + 2 * r0), l.v->weight, l.v->bias)
                                       : conv2d(window(v_[i - 1], y - r, -r, r + 1, w_ + 2 * r), l.v->weight, l.v->bias);
                link_[i] = (*l.link)(v_conv);  // [n, 2p, 1, W]
                if (bias_v_[i].defined()) v_conv = v_conv + bias_v_[i];
                if (position_bias_[i].first.defined()) v_conv = v_conv + slice(position_bias_[i].first, 2, y, y + 1);
                put(v_[i], gate(v_conv), y, 0);
            }
            row_ = y;
        }
        Tensor h, skip;
        for (size_t i = 0; i < net.layers_.size(); ++i) {
            const GatedPixelCnn::Layer& l = net.layers_[i];
            Tensor h_conv = i == 0 ? hconv_[i](window(input, y, x - r0, 1, r0))
                                   : hconv_[i](window(h_[i - 1], y, x - r, 1, r + 1));  // [n, 2p]
            h_conv = h_conv + reshape(slice(link_[i], 3, x, x + 1), {n_, h_conv.size(1)});
            if (bias_h_[i].defined()) h_conv = h_conv + bias_h_[i];
            if (position_bias_[i].second.defined())
                h_conv = h_conv + reshape(slice(slice(position_bias_[i].second, 2, y, y + 1), 3, x, x + 1),
                                          {1, h_conv.size(1)});
            Tensor h_gated = gate(h_conv);
            Tensor s = skip_[i](h_gated);
            skip = skip.defined() ? skip + s : s;
            h = l.residual ? h + residual_[i](h_gated) : h_gated;
            put(h_[i], h, y, x);
        }
        Tensor logits = out2_(relu(out1_(relu(skip))));  // [n, L]
        return reshape(logits, {n_, net.config_.image.levels, 1});
    }

private:
    const GatedPixelCnn& net_;
    int64_t n_, w_, row_ = -1;
    std::vector<Tensor> v_, h_, link_, bias_v_, bias_h_;
    std::vector<std::pair<Tensor, Tensor>> position_bias_;  // each layer's v and h [1, 2p, H, W]
    std::vector<Dense> hconv_, skip_, residual_;  // one pixel's layers as matrices
    Dense out1_, out2_;
};

std::unique_ptr<Stepper> GatedPixelCnn::stepper(int64_t n, const std::vector<int64_t>& labels, int64_t h,
                                                int64_t w) const {
    return std::make_unique<GatedStepper>(*this, n, labels, h, w);
}

}  // namespace pixelcnn
