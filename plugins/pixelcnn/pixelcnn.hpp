// PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", section 3.5):
//
//   h = conv7x7_A(x)
//   h = conv3x3_B(relu(h))                              x layers   (block: plain)
//   h = h + 1x1(relu(conv3x3_B(relu(1x1(relu(h))))))    x layers   (block: residual, fig. 5:
//                                                                   2h -> h -> h -> 2h channels)
//   logits = 1x1(relu(1x1(relu(h))))  -> [N, L, C, H, W]
//
// Every convolution is masked (layers.hpp), so logits at a position see only the positions
// before it; this network has the blind spot that the gated one removes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers.hpp"
#include "network.hpp"

namespace pixelcnn {

struct PixelCnnConfig {
    ImageShape image;
    int64_t channels = 64;         // width of the masked layers
    int64_t layers = 7;            // masked-B layers (or residual blocks)
    bool residual = false;
    int64_t output_channels = 64;  // width of the hidden 1x1 output layer
};

class PixelCnn : public Network {
public:
    PixelCnn(genhost::engine::Parameters& params, const PixelCnnConfig& config, genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x, const std::vector<int64_t>& labels) const override;
    int64_t reach() const override { return 3 + config_.layers; }
    std::unique_ptr<Stepper> stepper(int64_t n, const std::vector<int64_t>& labels, int64_t h,
                                     int64_t w) const override;

private:
    friend class PixelCnnStepper;
    struct Block {
        std::unique_ptr<MaskedConv> reduce, conv, expand;  // reduce and expand: residual only
    };
    PixelCnnConfig config_;
    std::unique_ptr<MaskedConv> input_;
    std::vector<Block> blocks_;
    std::unique_ptr<MaskedConv> out1_, out2_;
};

}  // namespace pixelcnn
