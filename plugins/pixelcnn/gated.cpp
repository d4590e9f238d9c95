#include "gated.hpp"

#include <stdexcept>

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
}

int64_t GatedPixelCnn::reach() const {
    return config_.first_kernel / 2 + (config_.layers - 1) * (config_.kernel / 2);
}

Tensor GatedPixelCnn::operator()(const Tensor& x, const std::vector<int64_t>& labels) const {
    const bool conditional = config_.image.classes > 0;
    if (conditional && static_cast<int64_t>(labels.size()) != x.size(0))
        throw std::invalid_argument("a class-conditional network needs one label per image");
    Tensor v = x, h = x, skip;
    for (size_t i = 0; i < layers_.size(); ++i) {
        const Layer& l = layers_[i];
        Tensor v_conv = (*l.v)(v);
        Tensor h_conv = (*l.h)(h) + (*l.link)(v_conv);
        if (conditional) {
            v_conv = v_conv + class_bias(l.class_v, labels);
            h_conv = h_conv + class_bias(l.class_h, labels);
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

}  // namespace pixelcnn
