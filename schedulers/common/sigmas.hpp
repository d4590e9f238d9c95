// Noise levels in the variance-exploding view of Karras et al. 2022 ("Elucidating the
// Design Space of Diffusion-Based Generative Models"): x_t / sqrt(alphas_cumprod[t]) =
// x0 + sigma_t eps with sigma_t = sqrt((1 - alphas_cumprod[t]) / alphas_cumprod[t]).
// The Euler, Euler ancestral, Heun and DPM-Solver samplers step in sigma.
#pragma once

#include <cstdint>
#include <vector>

#include "common/step_io.hpp"
#include "common/timesteps.hpp"

namespace genhost::schedulers {

// sigma_t for every training step.
std::vector<double> training_sigmas(const std::vector<double>& alphas_cumprod);

// numpy.interp(x, arange(len(table)), table): linear interpolation at fractional t.
double interpolate(const std::vector<double>& table, double t);

// Karras et al. 2022, eq. 5: sigma_i = (max^(1/rho) + i/(n-1) (min^(1/rho) - max^(1/rho)))^rho
// with rho = 7, for i in [0, n).
std::vector<double> karras_sigmas(double sigma_min, double sigma_max, uint32_t n, double rho = 7.0);

// The fractional training timestep whose sigma is `sigma`: linear interpolation in
// log sigma between the two neighbouring training steps (clamped to the ends).
double sigma_to_timestep(double sigma, const std::vector<double>& log_sigmas);

// A run's timesteps and their sigmas (not yet followed by the final sigma).
struct SigmaRun {
    std::vector<double> timesteps;
    std::vector<double> sigmas;
};

// The Euler-family run: timesteps by `spacing` (fractional linspace), sigmas interpolated
// at them; with Karras sigmas, sigmas from the interpolated range and timesteps mapped
// back through sigma_to_timestep.
SigmaRun euler_family_run(const std::vector<double>& alphas_cumprod, uint32_t n, Spacing spacing,
                          int64_t steps_offset, bool use_karras_sigmas);

// The largest sigma of a run, and the initial noise scale of a run that starts there:
// sigma_max for linspace and trailing spacing, sqrt(sigma_max^2 + 1) for leading (whose
// first timestep is below num_train_timesteps - 1), as diffusers.
double init_noise_sigma_for(const std::vector<double>& sigmas, Spacing spacing);


// With zero terminal SNR the last sigma is infinite; diffusers' sigma samplers move the
// last alphas_cumprod to 2^-24 (sigma ~ 4096) instead, and so do we.
void make_sigmas_finite(std::vector<double>& alphas_cumprod);

// x0 = c_sample * x + c_output * model_output, for a denoiser that saw the sample at
// noise level sigma (its input scaled by 1 / sqrt(sigma^2 + 1)).
struct Denoised {
    double c_sample, c_output;
};
Denoised denoised_at(Prediction prediction, double sigma);

// out = sample / sqrt(sigma^2 + 1): the VE sample brought back to unit variance, the
// input the denoiser was trained on. `out` may alias `sample`.
void scale_for_sigma(double sigma, const TensorView& sample, const MutableTensorView& out);

}  // namespace genhost::schedulers
