// Gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN
// Decoders", section 2.2 and figure 2). Each layer has a vertical stack v (rows above) and
// a horizontal stack h (the row to the left), p channels each, gated:
//
//   y = tanh(W_f * x + V_f^T e_y) (.) sigmoid(W_g * x + V_g^T e_y)
//
//   v_conv = Wv * v                    (2p channels: f and g halves)
//   v'     = gate(v_conv + b_v[y] + Sv * s)
//   h'     = gate(Wh * h + 1x1(v_conv) + b_h[y] + Sh * s)      the vertical-to-horizontal link
//   skip  += 1x1(h')
//   h_next = h + 1x1(h')                               (residual; not on the first layer)
//   logits = 1x1(relu(1x1(relu(skip))))  -> [N, L, C, H, W]
//
// b_v[y], b_h[y]: the class-conditional version's learned per-class bias (V^T e_y with a
// one-hot e_y) in every gate. Sv * s, Sh * s: with position_channels P > 0, a 1x1
// convolution (per layer and stack, no bias) of a learned map s [P, H, W], the paper's
// location-dependent conditioning (section 2.3) with s learned directly instead of computed
// from a given h. It tells a pixel which row and column it is in, which its window (reach()
// rows up) cannot once the image's top edge is farther up. v at row y sees only rows
// above, so linking it into h at the same position keeps causality; the two stacks together
// leave no blind spot (layers.hpp).
// The first layer uses a k0 x k0 window (7), the rest k x k (3).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "layers.hpp"
#include "network.hpp"

namespace pixelcnn {

struct GatedConfig {
    ImageShape image;
    int64_t channels = 64;   // p
    int64_t layers = 8;      // gated layers, the first included
    int64_t first_kernel = 7;
    int64_t kernel = 3;
    int64_t output_channels = 64;
    // Channels of the network's input: image.channels for pixel values, E for an embedding
    // of each position's level (codes: categories, not intensities). Still one position
    // per image channel, so the stacks stay causal.
    int64_t input_channels = 0;  // 0 = image.channels
    int64_t position_channels = 0;  // P of the learned position map; 0 = none
};

class GatedPixelCnn : public Network {
public:
    GatedPixelCnn(genhost::engine::Parameters& params, const GatedConfig& config, genhost::engine::Generator& init);
    // x [N, input_channels, H, W] -> logits [N, L, 1, H, W]
    Tensor operator()(const Tensor& x, const std::vector<int64_t>& labels) const override;
    Tensor on_window(const Tensor& x, const std::vector<int64_t>& labels, int64_t y0, int64_t x0) const override;
    int64_t reach() const override;
    std::unique_ptr<Stepper> stepper(int64_t n, const std::vector<int64_t>& labels, int64_t h,
                                     int64_t w) const override;

private:
    friend class GatedStepper;
    struct Layer {
        std::unique_ptr<ShiftedConv> v, h;
        std::unique_ptr<Conv1x1> link, skip, residual;
        genhost::engine::Tensor class_v, class_h;  // [classes, 2p], conditional only
        std::unique_ptr<Conv1x1> position_v, position_h;  // P -> 2p, with position_channels
    };
    // Each layer's position bias of its v and h gates on the h x w window at (y0, x0), [1,
    // 2p, h, w] each; undefined without a map.
    std::vector<std::pair<Tensor, Tensor>> position_biases(int64_t y0, int64_t x0, int64_t h, int64_t w) const;
    GatedConfig config_;
    Tensor position_map_;  // [1, P, H, W], with position_channels
    std::vector<Layer> layers_;
    std::unique_ptr<Conv1x1> out1_, out2_;
};

}  // namespace pixelcnn
