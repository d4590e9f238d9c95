// What the plugin needs of a PixelCNN-family network: logits of every position from the
// image, and how far back (in rows and columns) an output can see, so that one position's
// logits can be computed on a window around it (see plugin.cpp, logits_at).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace pixelcnn {

using genhost::engine::Tensor;

struct ImageShape {
    int64_t channels = 1, height = 28, width = 28;
    int64_t levels = 256;  // L: values per position
    int64_t classes = 0;   // 0 = unconditional
};

// One sampling run's cache of activations (Ramachandran et al. 2017, cache.hpp): step()
// computes every layer at one pixel only, reading the activations of earlier pixels that
// its own earlier steps stored.
class Stepper {
public:
    virtual ~Stepper() = default;
    // The logits [N, L, C] at pixel (y, x) from `input` [N, Cin, H, W] (the network's
    // input for the whole image). Exact when every pixel before (y, x) was stepped, in
    // raster order, since the input last changed at a position that pixel depends on.
    virtual Tensor step(const Tensor& input, int64_t y, int64_t x) = 0;
};

class Network {
public:
    virtual ~Network() = default;
    // x [N, Cin, H, W], the levels as the plugin's input says (level / (L - 1) in [0, 1],
    // 2 level / (L - 1) - 1 in [-1, 1], or an embedding); the convolutions pad with zeros.
    // labels [N] when the network is conditional, else empty. -> logits [N, L, C, H, W], causal.
    virtual Tensor operator()(const Tensor& x, const std::vector<int64_t>& labels) const = 0;
    // The same on a window of the image whose top-left pixel is (y0, x0): what the window's
    // outputs would be in the whole image, given that they depend only on pixels inside it.
    // Only a network that knows absolute positions (gated, position_channels) needs (y0, x0).
    virtual Tensor on_window(const Tensor& x, const std::vector<int64_t>& labels, int64_t /*y0*/, int64_t /*x0*/) const {
        return (*this)(x, labels);
    }
    // An upper bound on how many rows above, and columns to either side, an output
    // position depends on: the logits of (y, x) computed on the window rows [y - R, y],
    // columns [x - R, x + R] (zero-padded like the image's edges) are exact.
    virtual int64_t reach() const = 0;
    // A fresh cache for sampling n images of h x w pixels with these labels.
    virtual std::unique_ptr<Stepper> stepper(int64_t n, const std::vector<int64_t>& labels, int64_t h,
                                             int64_t w) const = 0;
};

}  // namespace pixelcnn
