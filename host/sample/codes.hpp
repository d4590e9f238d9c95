// A quantizer's code maps (genhost.quantizer/1, a VQ-VAE): images to int64 codes and back,
// in batches, and the conversion between codes and the K-level images an autoregressive
// prior sees (level k = code k, at value lo + k / (K - 1) * (hi - lo) of a data range, as
// the PixelCNN maps levels to pixels).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "loader/instance.hpp"
#include "sample/sampler.hpp"

namespace genhost::sample {

struct CodeMaps {
    int64_t n = 0;
    std::array<int64_t, 3> shape{};  // codebooks, height, width
    std::vector<int64_t> codes;      // [n, shape...]
};

// Codes of `images` (in the quantizer's data range).
CodeMaps encode_codes(const loader::PluginInstance& quantizer, const Images& images, int64_t batch_size);
// Images (the quantizer's data range, `image_shape` C, H, W: the data it was trained on) of `codes`.
Images decode_codes(const loader::PluginInstance& quantizer, const CodeMaps& codes, std::array<int64_t, 3> image_shape,
                    int64_t batch_size);

// Codes as K-level images with values in [lo, hi], and back (nearest level, clamped).
Images codes_to_levels(const CodeMaps& codes, int64_t levels, float lo, float hi);
CodeMaps levels_to_codes(const Images& images, int64_t levels, float lo, float hi);

// Each image next to its reconstruction through the codes (encode_codes, decode_codes),
// rows alternating between `columns` originals and their reconstructions, as
// reconstructions() in latent.hpp.
Images code_reconstructions(const loader::PluginInstance& quantizer, const Images& x, int64_t columns);

// Code usage of a set of code maps: perplexity exp(H(code frequencies)), and codes used.
struct CodeUsage {
    double perplexity = 0;
    int64_t used = 0;
};
CodeUsage code_usage(const CodeMaps& codes, int64_t levels);

}  // namespace genhost::sample
