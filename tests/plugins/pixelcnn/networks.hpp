// The PixelCNN variants every test runs over, small enough to check position by position.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

#include "gated.hpp"
#include "pixelcnn.hpp"

namespace pixelcnn_test {

struct Variant {
    std::string name;
    pixelcnn::ImageShape image;
    std::unique_ptr<genhost::engine::Parameters> params = std::make_unique<genhost::engine::Parameters>();
    std::unique_ptr<pixelcnn::Network> net;
    std::vector<int64_t> labels;  // for a conditional network
};

inline Variant plain(int64_t channels, bool residual, int64_t levels = 4, int64_t size = 9, int64_t layers = 3) {
    Variant v;
    v.name = std::string(residual ? "residual" : "plain") + " pixelcnn, " + std::to_string(channels) + " channel(s)";
    v.image = {channels, size, size, levels, 0};
    pixelcnn::PixelCnnConfig c;
    // 12 hidden channels per image channel: enough that ReLUs rarely silence a whole group.
    c.image = v.image, c.channels = 12 * channels, c.layers = layers, c.residual = residual;
    c.output_channels = 12 * channels;
    genhost::engine::Generator init(7);
    v.net = std::make_unique<pixelcnn::PixelCnn>(*v.params, c, init);
    return v;
}

// positions: the learned position map of position_channels 2 (gated.hpp).
inline Variant gated(bool conditional, int64_t levels = 4, int64_t size = 9, int64_t layers = 3, bool positions = false) {
    Variant v;
    v.name = std::string(conditional ? "conditional gated pixelcnn" : "gated pixelcnn") + (positions ? ", positions" : "");
    v.image = {1, size, size, levels, conditional ? 3 : 0};
    pixelcnn::GatedConfig c;
    c.image = v.image, c.channels = 8, c.layers = layers, c.first_kernel = 5, c.kernel = 3, c.output_channels = 8;
    c.position_channels = positions ? 2 : 0;
    genhost::engine::Generator init(11);
    v.net = std::make_unique<pixelcnn::GatedPixelCnn>(*v.params, c, init);
    if (conditional) v.labels = {2};
    if (conditional || positions) {
        // Class biases and the position map start at zero; make them matter.
        for (const auto& e : v.params->entries())
            if (e.name.find("class_") != std::string::npos || e.name == "position.map") {
                genhost::engine::Generator g(3);
                genhost::engine::Tensor table = e.tensor, r = g.normal(e.tensor.shape());
                std::copy(r.data(), r.data() + r.numel(), table.data());
            }
    }
    return v;
}

// The gradient of a random projection of the logits at raster position (c, y, x) with
// respect to every input value: [C, H, W].
inline std::vector<float> input_gradient(const Variant& v, int64_t c, int64_t y, int64_t x, uint64_t seed = 1) {
    using namespace genhost::engine;
    const auto& s = v.image;
    Generator g(seed);
    Tensor in = g.uniform({1, s.channels, s.height, s.width});
    in.set_requires_grad(true);
    Tensor logits = (*v.net)(in, v.labels);  // [1, L, C, H, W]
    Tensor pick = Tensor::zeros(logits.shape());
    Tensor w = g.normal({s.levels});
    for (int64_t l = 0; l < s.levels; ++l) pick.data()[((l * s.channels + c) * s.height + y) * s.width + x] = w.data()[l];
    Tensor out = sum(logits * pick);
    Tensor dx = grad({out}, {in})[0];
    return std::vector<float>(dx.data(), dx.data() + dx.numel());
}

}  // namespace pixelcnn_test
