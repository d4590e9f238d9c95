// The pixel loop of autoregressive models (genhost.autoregressive/1), owned by the host
// as the diffusion loop is:
//
//     x = 0 (levels);  for each position i in raster order (rows, columns, channels):
//         logits = model.logits_at(x, i)   (or model.logits(x)[.., i])
//         x_i ~ softmax(logits / temperature)        (kept from the image when known)
//
// Image k's draws come from its own seed (the same image whatever sample.batch_size), one
// uniform number per position. Levels map to the data range as lo + (hi - lo) * l / (L - 1).
#pragma once

#include <cstdint>
#include <vector>

#include "loader/instance.hpp"
#include "sample/sampler.hpp"
#include "util/progress.hpp"

namespace genhost::sample {

// Completion: pixels where mask = 1 keep the known image's level (every channel of a
// pixel should agree); the rest are sampled. The model conditions only on the positions
// before each one, so known pixels after an unknown one do not guide it.
struct CompletionGuide {
    const float* known = nullptr;  // [count, C, H, W], data range
    const float* mask = nullptr;   // same shape: 1 = known, 0 = to sample
};

// Fills `out` ([n, C, H, W], data range) with images first .. first + n - 1 of `spec`.
void autoregressive_batch(const loader::PluginInstance& model, const SampleSpec& spec, int64_t first, int64_t n,
                          float* out, Progress& progress, int64_t& done);

// The level of a value in the data range [lo, hi] among L levels, and back.
int64_t to_level(float value, float lo, float hi, int64_t levels);
float from_level(int64_t level, float lo, float hi, int64_t levels);

// Positions (model calls) one image batch takes: C * H * W.
int64_t autoregressive_positions(const loader::PluginInstance& model);

}  // namespace genhost::sample
