// Drawing images from a model: directly from a generator (VAE, GAN), by the pixel loop of
// an autoregressive model (PixelCNN; autoregressive.hpp), or by the diffusion loop that the host drives with a denoiser and a scheduler:
//
//     scheduler.set_timesteps(steps);  x = noise * init_noise_sigma
//     for each step i:  out = denoiser(scale_model_input(x, i), t_i)   (twice with guidance)
//                       x   = scheduler.step(out, i, x)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loader/instance.hpp"

namespace genhost::sample {

// Inpainting (RePaint, Lugmayr et al. 2022): pixels where mask = 1 are known. After each
// step they are replaced by the known image noised to the next step's level,
//     x_{t-1} = m * (sqrt(a_{t-1}) x0 + sqrt(1 - a_{t-1}) eps) + (1 - m) * step(x_t),
// and with resample = r > 1 each step is repeated r times, re-noising x_{t-1} back to t
// in between, so the generated region can agree with the known one. Needs a scheduler
// whose samples live at the training schedule's noise levels (init_noise_sigma 1: DDPM,
// DDIM); resampling also needs one without multistep history (DDPM, DDIM).
struct InpaintGuide {
    const float* known = nullptr;  // [count, C, H, W], data range
    const float* mask = nullptr;   // same shape: 1 = known, 0 = to fill
    int64_t resample = 1;
    std::vector<float> alphas_cumprod;  // the training schedule
};

struct CompletionGuide;  // autoregressive.hpp

struct SampleSpec {
    int64_t count = 64;
    int64_t batch_size = 64;
    uint64_t seed = 0;
    std::vector<int64_t> labels;   // repeated to fill count; empty = unconditional
    // Diffusion only:
    const loader::PluginInstance* scheduler = nullptr;
    uint32_t steps = 0;            // 0 = the scheduler's num_inference_steps param, else its training length
    float guidance_scale = 1.0f;   // classifier-free guidance; 1 = off
    const InpaintGuide* inpaint = nullptr;
    // Autoregressive only:
    float temperature = 1.0f;      // logits / temperature; 0 = the most likely level
    const CompletionGuide* complete = nullptr;
    float range_lo = 0.0f, range_hi = 1.0f;  // the data range levels map to
    bool quiet = false;
};

struct Images {
    int64_t n = 0, channels = 0, height = 0, width = 0;
    std::vector<float> data;  // NCHW
};

// The number of classes `model` draws samples for (0: unconditional, or it cannot sample).
int64_t conditioning_classes(const loader::PluginInstance& model);

// Throws genhost::Error when the model can do neither, or a plugin call fails.
Images draw(const loader::PluginInstance& model, const SampleSpec& spec);

// The labels of images first .. first + n - 1 (sample.labels repeated; a conditional model
// without them cycles through its classes; empty for an unconditional model).
std::vector<int64_t> labels_for(const SampleSpec& spec, int64_t first, int64_t n, int64_t num_classes,
                                const std::string& id);
// The labels draw(model, spec) gives its images, in order; empty when unconditional.
std::vector<int64_t> drawn_labels(const loader::PluginInstance& model, const SampleSpec& spec);
// Sample i's own seed: what its randomness derives from, whatever the batching.
uint64_t image_seed(const SampleSpec& spec, int64_t i);

// Standard normal noise from a seed: the same numbers on every machine and thread count.
void fill_normal(float* out, int64_t n, uint64_t seed);

}  // namespace genhost::sample
