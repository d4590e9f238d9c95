// The causal convolutions of the PixelCNN family. Positions are in raster order (rows top
// to bottom, columns left to right, channels in order within a pixel); every layer keeps
// the output at a position from seeing the input at or after it.
//
//   MaskedConv (PixelCNN, van den Oord et al. 2016a): a k x k kernel whose taps below the
//     centre row and right of the centre are zeroed by multiplying the weight by a mask.
//     Mask A (first layer) also hides the centre tap from the pixel's own and later
//     channels; mask B (later layers) shows the centre of the channels up to its own:
//
//         1 1 1 1 1        centre tap, input channel group gi -> output group go:
//         1 1 1 1 1          A: gi <  go    (the first layer must not see x_i itself)
//         1 1 c 0 0          B: gi <= go    (later layers may: their inputs already hide it)
//         0 0 0 0 0
//         0 0 0 0 0
//
//     Stacking such layers leaves a blind spot: the receptive field grows up and to the
//     left, but to the right only along a diagonal staircase, so pixels above-right of it
//     are never seen (tests/plugins/pixelcnn/blind_spot_test.cpp shows one).
//
//   ShiftedConv (Gated PixelCNN, van den Oord et al. 2016b): a rectangular kernel and a
//     crop of the padded output, so no weight is wasted on zeros. The vertical stack sees
//     a k-wide window of rows strictly above (first layer) or above and its own row (its
//     inputs already see only rows above); the horizontal stack sees its row to the left
//     (first layer) or to the left and the centre. Together they cover everything before
//     the pixel: no blind spot.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <genhost/engine/engine.hpp>

namespace pixelcnn {

using genhost::engine::Tensor;

enum class Mask { A, B };

// The mask of a [out, in, k, k] kernel; group_of_out(o) and group_of_in(i) give each
// channel's image-channel group (all 0 for single-channel images).
Tensor make_mask(Mask type, int64_t out, int64_t in, int64_t k, const std::function<int64_t(int64_t)>& group_of_out,
                 const std::function<int64_t(int64_t)>& group_of_in);

// Hidden channel o of `count` belongs to image channel o * groups / count (contiguous blocks).
inline int64_t block_group(int64_t o, int64_t count, int64_t groups) { return o * groups / count; }

class MaskedConv {
public:
    // `groups` = image channels; `interleaved_out`: output channel o belongs to group
    // o % groups (the logits layer, laid out [levels, channels]) instead of a block.
    MaskedConv(genhost::engine::Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t k, Mask type,
               int64_t groups, genhost::engine::Generator& init, bool interleaved_out = false);
    Tensor operator()(const Tensor& x) const;
    const Tensor& mask() const { return full_mask_; }  // [out, in, k, k], 1 = open (cache.hpp's Dense)
    int64_t half() const { return padding_; }  // k / 2
    Tensor weight, bias;

private:
    Tensor full_mask_;   // [out, in, k, k]
    Tensor mask_;        // undefined when taps_ says it all (one channel group)
    uint64_t taps_ = 0;  // the taps open for any channel pair (Conv2dOptions::taps)
    int64_t padding_;
};

class ShiftedConv {
public:
    enum class Kind { vertical_first, vertical, horizontal_first, horizontal };
    // k: the window's width (vertical) or the half-width + 1 (horizontal) as in the paper.
    ShiftedConv(genhost::engine::Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t k, Kind kind,
                genhost::engine::Generator& init);
    Tensor operator()(const Tensor& x) const;  // [N, in, H, W] -> [N, out, H, W]
    Tensor weight, bias;

private:
    int64_t pad_ = 0, row0_ = 0, col0_ = 0;
};

// A 1x1 convolution (no masking needed for single-channel images).
class Conv1x1 {
public:
    // with_bias false: weight only (a term added beside another layer's bias).
    Conv1x1(genhost::engine::Parameters& p, const std::string& name, int64_t in, int64_t out,
            genhost::engine::Generator& init, bool with_bias = true);
    Tensor operator()(const Tensor& x) const;
    Tensor weight, bias;
};

}  // namespace pixelcnn
