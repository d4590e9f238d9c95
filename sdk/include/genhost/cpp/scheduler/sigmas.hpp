// Noise levels in the variance-exploding view of Karras et al. 2022 ("Elucidating the
// Design Space of Diffusion-Based Generative Models"): x_t / sqrt(alphas_cumprod[t]) =
// x0 + sigma_t eps with sigma_t = sqrt((1 - alphas_cumprod[t]) / alphas_cumprod[t]).
// The Euler, Euler ancestral, Heun and DPM-Solver samplers step in sigma.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <genhost/cpp/scheduler/noise_schedule.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>
#include <genhost/cpp/scheduler/timesteps.hpp>

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

// ---- implementation (header-only: nothing to link) ----

inline std::vector<double> training_sigmas(const std::vector<double>& alphas_cumprod) {
    std::vector<double> s(alphas_cumprod.size());
    for (size_t t = 0; t < s.size(); ++t) s[t] = std::sqrt((1.0 - alphas_cumprod[t]) / alphas_cumprod[t]);
    return s;
}

inline double interpolate(const std::vector<double>& table, double t) {
    if (t <= 0.0) return table.front();
    const double last = static_cast<double>(table.size() - 1);
    if (t >= last) return table.back();
    const size_t j = static_cast<size_t>(std::floor(t));
    return table[j] + (t - static_cast<double>(j)) * (table[j + 1] - table[j]);
}

inline std::vector<double> karras_sigmas(double sigma_min, double sigma_max, uint32_t n, double rho) {
    const double min_inv = std::pow(sigma_min, 1.0 / rho), max_inv = std::pow(sigma_max, 1.0 / rho);
    std::vector<double> ramp = linspace(0.0, 1.0, n), sigmas(n);
    for (uint32_t i = 0; i < n; ++i) sigmas[i] = std::pow(max_inv + ramp[i] * (min_inv - max_inv), rho);
    return sigmas;
}

inline double sigma_to_timestep(double sigma, const std::vector<double>& log_sigmas) {
    const double log_sigma = std::log(std::max(sigma, 1e-10));
    // The last training step whose log sigma is <= log_sigma (0 when there is none),
    // kept one short of the end so [low, low + 1] is a valid segment.
    size_t low = 0;
    for (size_t t = 0; t < log_sigmas.size(); ++t)
        if (log_sigma - log_sigmas[t] >= 0.0) low = t;
    low = std::min(low, log_sigmas.size() - 2);
    const double lo = log_sigmas[low], hi = log_sigmas[low + 1];
    const double w = std::clamp((lo - log_sigma) / (lo - hi), 0.0, 1.0);
    return (1.0 - w) * static_cast<double>(low) + w * static_cast<double>(low + 1);
}

inline SigmaRun euler_family_run(const std::vector<double>& alphas_cumprod, uint32_t n, Spacing spacing,
                          int64_t steps_offset, bool use_karras_sigmas) {
    const int64_t N = static_cast<int64_t>(alphas_cumprod.size());
    SigmaRun run;
    run.timesteps = continuous_timesteps(N, n, spacing, steps_offset);
    const std::vector<double> table = training_sigmas(alphas_cumprod);
    for (double t : run.timesteps) run.sigmas.push_back(interpolate(table, t));
    if (use_karras_sigmas) {
        run.sigmas = karras_sigmas(run.sigmas.back(), run.sigmas.front(), n);
        std::vector<double> log_sigmas(table.size());
        for (size_t t = 0; t < table.size(); ++t) log_sigmas[t] = std::log(table[t]);
        for (size_t i = 0; i < n; ++i) run.timesteps[i] = sigma_to_timestep(run.sigmas[i], log_sigmas);
    }
    return run;
}

inline double init_noise_sigma_for(const std::vector<double>& sigmas, Spacing spacing) {
    const double sigma_max = *std::max_element(sigmas.begin(), sigmas.end());
    return spacing == Spacing::leading ? std::sqrt(sigma_max * sigma_max + 1.0) : sigma_max;
}


inline void make_sigmas_finite(std::vector<double>& alphas_cumprod) {
    if (!alphas_cumprod.empty() && alphas_cumprod.back() <= 0.0) alphas_cumprod.back() = std::ldexp(1.0, -24);
}

inline Denoised denoised_at(Prediction prediction, double sigma) {
    switch (prediction) {
        case Prediction::epsilon: return {1.0, -sigma};
        case Prediction::v_prediction: {
            const double s2 = sigma * sigma + 1.0;
            return {1.0 / s2, -sigma / std::sqrt(s2)};
        }
        case Prediction::sample: break;
    }
    return {0.0, 1.0};
}

inline void scale_for_sigma(double sigma, const TensorView& sample, const MutableTensorView& out) {
    const double scale = 1.0 / std::sqrt(sigma * sigma + 1.0);
    const float* x = sample.data();
    float* y = out.data();
    for (int64_t k = 0, n = sample.numel(); k < n; ++k) y[k] = static_cast<float>(x[k] * scale);
}

}  // namespace genhost::schedulers
