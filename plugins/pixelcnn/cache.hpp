// Fast sampling by caching (Ramachandran et al. 2017, "Fast Generation for Convolutional
// Autoregressive Models"). Sampling asks for the logits of one position at a time, in
// raster order, while the image changes only at the position just sampled. Every unit of
// a causal network at pixel (y, x) depends only on the input before it, so once computed
// it stays right for the rest of the run: each call then computes every layer at the new
// pixel only (a Stepper, network.hpp), reading the stored activations of earlier pixels,
// instead of the whole window the output depends on (reach). The gated network's vertical
// stack needs a pixel's right-hand neighbours in the row above, so it is computed a row at
// a time, at the row's first pixel (it sees only rows above: they are all known then).
//
// CachedLogits keeps one run's cache and checks it against every call, so it is exact
// whatever the caller does:
//   - a call at position 0 (the start of a run, genhost.autoregressive/1) starts afresh, as
//     do a new batch size and new labels: the weights may have changed between runs;
//   - the input is compared with the one the cache was built from: a change at position m
//     drops the cached pixels that depend on m (those from pixel (m + 1) / C on);
//   - positions skipped since the last call are caught up step by step when they are at
//     most a row of pixels; a longer jump (e.g. a check at a few random positions) is
//     answered from the window, uncached, and leaves the cache as it was.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "network.hpp"

namespace pixelcnn {

// The kh x kw window of `plane` [N, C, H, W] whose top-left corner is (y0, x0), zeros
// outside the image (the full pass's padding): [N, C, kh, kw].
Tensor window(const Tensor& plane, int64_t y0, int64_t x0, int64_t kh, int64_t kw);
// Writes `values` [N, C, rows, cols] (or [N, C]: one pixel) into `plane` [N, C, H, W] at (y0, x0).
void put(Tensor& plane, const Tensor& values, int64_t y0, int64_t x0);

// A convolution at one output position as a linear layer on its flattened input window:
// one GEMM for the whole batch. weight [out, in, kh, kw] -> [out, in * kh * kw]; with a
// mask, only the columns (input channel, tap) open to some output are kept (a 3x3 mask B
// uses 5 of its 9 taps), the weight masked.
class Dense {
public:
    Dense() = default;
    Dense(const Tensor& conv_weight, const Tensor& bias, const Tensor& mask = Tensor());
    // window [N, in, kh, kw] or [N, in * kh * kw] -> [N, out]
    Tensor operator()(const Tensor& window) const;

private:
    Tensor weight_, bias_;
    std::vector<int64_t> columns_;  // the window's columns in use; empty: all
};

// The logits [N, L] of one position from the network run on the window its output depends
// on (rows y - R .. y, columns x - R .. x + R): no cache. `input` [N, Cin, H, W].
Tensor window_logits(const Network& net, const ImageShape& shape, const Tensor& input,
                     const std::vector<int64_t>& labels, int64_t position);

class CachedLogits {
public:
    CachedLogits(const Network& net, const ImageShape& shape) : net_(net), shape_(shape) {}
    // The logits [N, L] at `position` ((y * W + x) * C + c) of the image whose network
    // input is `input` [N, Cin, H, W]: from the cache when it can, else from the window.
    Tensor operator()(const Tensor& input, const std::vector<int64_t>& labels, int64_t position);
    void reset() { stepper_.reset(); }  // the weights changed
    bool last_cached() const { return cached_; }  // how the last call was answered

private:
    const Network& net_;
    ImageShape shape_;
    std::unique_ptr<Stepper> stepper_;
    std::vector<int64_t> labels_;
    std::vector<float> seen_;  // the input the cached activations were computed from
    int64_t ready_ = 0;        // pixels before this one have final cached activations
    bool cached_ = false;
};

}  // namespace pixelcnn
