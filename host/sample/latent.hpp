// Stages that work in a model's latent space (genhost.latent/1), for any model that has
// one: reconstructions (encode the posterior mean, decode it) and interpolations
// between two codes (slerp or lerp), e.g. between two encoded test images.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loader/instance.hpp"
#include "sample/sampler.hpp"

namespace genhost::sample {

// A batch of images with optional labels, [N, C, H, W] in the data range.
struct LabelledImages {
    Images images;
    std::vector<int64_t> labels;  // empty when unlabelled
};

// labels[first, first + n), or nothing for unlabelled images.
std::vector<int64_t> slice_labels(const std::vector<int64_t>& labels, int64_t first, int64_t n);

// Posterior means [N, D] of `x`, or nothing when the model only decodes.
std::optional<std::vector<float>> encode_means(const loader::PluginInstance& model, const LabelledImages& x, int64_t batch_size);

// Decodes codes [N, D] (N = labels.size() or latents.size() / D) into images.
Images decode(const loader::PluginInstance& model, const std::vector<float>& latents, const std::vector<int64_t>& labels,
              int64_t batch_size);

// Each image next to its reconstruction: the rows of the result alternate between
// `columns` originals and their reconstructions, so a grid of `columns` columns shows
// originals above reconstructions.
Images reconstructions(const loader::PluginInstance& model, const LabelledImages& x, int64_t columns);
// Rows of `columns` images of `top`, each followed by the same images of `bottom` (same
// shape and count): originals above what became of them, for a grid of `columns` columns.
Images interleave_rows(const Images& top, const Images& bottom, int64_t columns);
// The same for several sets: a row of each in turn (inputs, translations, reconstructions).
Images interleave_rows(const std::vector<const Images*>& sets, int64_t columns);

// `steps` codes from a to b (both [D]): spherical (slerp) or linear (lerp).
std::vector<float> interpolate_codes(const std::vector<float>& a, const std::vector<float>& b, int64_t steps,
                                     const std::string& method);

// One row of `steps` decoded images per pair (x[2i], x[2i+1]); models that only decode
// interpolate between prior samples drawn from `seed`.
Images interpolations(const loader::PluginInstance& model, const LabelledImages& x, int64_t pairs, int64_t steps,
                      const std::string& method, uint64_t seed);

}  // namespace genhost::sample
