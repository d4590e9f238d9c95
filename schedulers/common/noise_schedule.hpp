// The training noise schedule: betas and alphas_cumprod, as diffusers builds them.
//
// DDPM's forward process adds noise in num_train_timesteps small steps of variance
// beta_t; alphas_cumprod[t] = prod_{s<=t} (1 - beta_s) is the signal kept at t, so
// x_t = sqrt(alphas_cumprod[t]) x0 + sqrt(1 - alphas_cumprod[t]) eps.
// Everything is computed in double; the ABI hands out float32.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <genhost/cpp/context.hpp>
#include <genhost/cpp/schema.hpp>

namespace genhost::schedulers {

struct NoiseScheduleConfig {
    int64_t num_train_timesteps = 1000;
    double beta_start = 0.0001;
    double beta_end = 0.02;
    std::string beta_schedule = "linear";  // linear, scaled_linear, squaredcos_cap_v2, sigmoid
    std::vector<double> trained_betas;     // empty: use beta_schedule
    bool rescale_betas_zero_snr = false;
};

// The defaults differ per scheduler in diffusers (Heun uses Stable Diffusion's betas).
struct ScheduleDefaults {
    double beta_start = 0.0001;
    double beta_end = 0.02;
    std::string timestep_spacing = "leading";
    int64_t num_inference_steps = 50;
};

// Adds num_train_timesteps, beta_start, beta_end, beta_schedule, trained_betas,
// rescale_betas_zero_snr, prediction_type, timestep_spacing, steps_offset and
// num_inference_steps, with diffusers' names and meanings.
ParamSchema& add_schedule_params(ParamSchema& schema, const ScheduleDefaults& defaults);

NoiseScheduleConfig read_noise_schedule(const Params& params);

// betas[t] for t in [0, num_train_timesteps). Throws std::invalid_argument naming the
// parameter and the fix when the schedule is unusable (a beta outside [0, 1], ...).
std::vector<double> make_betas(const NoiseScheduleConfig& config);

// Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are Flawed",
// Algorithm 1: shifts and scales sqrt(alphas_cumprod) so the last step has zero SNR.
std::vector<double> rescale_zero_terminal_snr(const std::vector<double>& betas);

// alphas_cumprod[t] = prod_{s<=t} (1 - betas[s]).
std::vector<double> cumulative_alphas(const std::vector<double>& betas);

// The schedule as the config says: make_betas, the optional zero-SNR rescale, cumprod.
std::vector<double> make_alphas_cumprod(const NoiseScheduleConfig& config);

std::vector<float> to_float(const std::vector<double>& values);

// numpy.linspace(start, stop, count) in double: the last value is exactly `stop`.
std::vector<double> linspace(double start, double stop, int64_t count);

}  // namespace genhost::schedulers
