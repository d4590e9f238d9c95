// Two-stage models (docs/two-stage.md): a model trained on what a component makes of the
// data, and whose samples the component turns back into images.
//
//   components: {vqvae: {checkpoint: runs/vqvae-fashion/checkpoint.safetensors}}
//   data:   {dataset: fashion-mnist, encode_with: vqvae}   the prior trains on code maps
//   model:  {plugin: gated_pixelcnn, params: {levels: 64}}  K levels, the code-map shape
//   sample: {decode_with: vqvae}                            its samples decoded to images
//
// Two kinds of encoding, by the component's capability:
//   codes    (genhost.quantizer/1, a VQ-VAE): int64 code maps, which the model sees as
//            K-level images (level k = code k) of the code-map shape, so any autoregressive
//            model trains on them unchanged;
//   latents  (genhost.latent/1 with latent_shape, a VAE with spatial latents: latent
//            diffusion): the posterior means as [c, h, w] maps, multiplied by a scale factor
//            computed from the encoded training data (1 / their standard deviation, as
//            Stable Diffusion's 0.18215 was), so a denoiser sees unit-variance data. The
//            factor is saved in the model's checkpoint ("latent_scale") and used to decode.
#pragma once

#include <string>

#include "data/dataset.hpp"
#include "image/grid.hpp"
#include "run/components.hpp"
#include "sample/sampler.hpp"

namespace genhost::run {

class RunContext;
class Problems;

// The component `key` (data.encode_with or sample.decode_with) names, checked: it exists
// and has genhost.quantizer/1 or spatial latents. Throws genhost::Error naming both sides
// and the fix.
const Component& coding_component(const RunContext& run, const std::string& key);
// True for a quantizer (codes), false for spatial latents.
bool encodes_codes(const Component& c);

// Everything else a two-stage run would refuse, once the model exists: the model's levels
// against the codebook size, its sample shape against the code-map shape, samples of
// codes that nothing decodes.
void check_two_stage(const RunContext& run, Problems& problems);

// The data shape the model sees with data.encode_with: the component's code maps.
genhost_data_info encoded_data_info(const RunContext& run, const data::Dataset& pixels);

// `pixels` (Dataset convention: values in [0, 1]) as the component's code maps, stored as
// K-level images (code k at k / (K - 1)), or as its latents times `*scale` (computed here
// when it is 0), stored so that the loader's map to `model_range` gives them exactly;
// labels and classes kept.
data::Dataset encode_dataset(const Component& c, const data::Dataset& pixels, image::ValueRange model_range,
                             float* scale, bool quiet);

// The test images `pixels` (in the component's data range) as the model sees them.
sample::Images encode_images(const Component& c, const sample::Images& pixels, image::ValueRange model_range,
                             float scale);

// Samples of the model (K-level images in `model_range`, or scaled latents) decoded to
// images in the component's data range.
sample::Images decode_samples(const Component& c, const sample::Images& samples, image::ValueRange model_range,
                              float scale);

}  // namespace genhost::run
