// Two-stage models (docs/two-stage.md): a model trained on what a component makes of the
// data, and whose samples the component turns back into images.
//
//   components: {vqvae: {checkpoint: runs/vqvae-fashion/checkpoint.safetensors}}
//   data:   {dataset: fashion-mnist, encode_with: vqvae}   the prior trains on code maps
//   model:  {plugin: gated_pixelcnn, params: {levels: 64}}  K levels, the code-map shape
//   sample: {decode_with: vqvae}                            its samples decoded to images
//
// Today the one kind of encoding is a quantizer's (genhost.quantizer/1): the dataset is
// encoded once into int64 code maps, which the model sees as K-level images (level k =
// code k) of the code-map shape, so any autoregressive model trains on them unchanged.
// A continuous kind (latent diffusion: a VAE with spatial latents, the latent scale factor
// computed from the encoded data) fits the same two entry points: encode_dataset would
// store latents / scale as the model's data and decode_samples would multiply back and
// call the component's decoder; what differs is only the capability it dispatches on.
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
// and has genhost.quantizer/1. Throws genhost::Error naming both sides and the fix.
const Component& coding_component(const RunContext& run, const std::string& key);

// Everything else a two-stage run would refuse, once the model exists: the model's levels
// against the codebook size, its sample shape against the code-map shape, samples of
// codes that nothing decodes.
void check_two_stage(const RunContext& run, Problems& problems);

// The data shape the model sees with data.encode_with: the component's code maps.
genhost_data_info encoded_data_info(const RunContext& run, const data::Dataset& pixels);

// `pixels` (Dataset convention: values in [0, 1]) as the component's code maps, stored as
// K-level images (code k at k / (K - 1)), labels and classes kept.
data::Dataset encode_dataset(const Component& c, const data::Dataset& pixels, bool quiet);

// Samples of the model (K-level images in `model_range`) decoded to images in the
// component's data range.
sample::Images decode_samples(const Component& c, const sample::Images& samples, image::ValueRange model_range);

}  // namespace genhost::run
