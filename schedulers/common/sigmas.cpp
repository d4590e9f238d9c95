#include "common/sigmas.hpp"

#include <algorithm>
#include <cmath>

#include "common/noise_schedule.hpp"

namespace genhost::schedulers {

std::vector<double> training_sigmas(const std::vector<double>& alphas_cumprod) {
    std::vector<double> s(alphas_cumprod.size());
    for (size_t t = 0; t < s.size(); ++t) s[t] = std::sqrt((1.0 - alphas_cumprod[t]) / alphas_cumprod[t]);
    return s;
}

double interpolate(const std::vector<double>& table, double t) {
    if (t <= 0.0) return table.front();
    const double last = static_cast<double>(table.size() - 1);
    if (t >= last) return table.back();
    const size_t j = static_cast<size_t>(std::floor(t));
    return table[j] + (t - static_cast<double>(j)) * (table[j + 1] - table[j]);
}

std::vector<double> karras_sigmas(double sigma_min, double sigma_max, uint32_t n, double rho) {
    const double min_inv = std::pow(sigma_min, 1.0 / rho), max_inv = std::pow(sigma_max, 1.0 / rho);
    std::vector<double> ramp = linspace(0.0, 1.0, n), sigmas(n);
    for (uint32_t i = 0; i < n; ++i) sigmas[i] = std::pow(max_inv + ramp[i] * (min_inv - max_inv), rho);
    return sigmas;
}

double sigma_to_timestep(double sigma, const std::vector<double>& log_sigmas) {
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

SigmaRun euler_family_run(const std::vector<double>& alphas_cumprod, uint32_t n, Spacing spacing,
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

double init_noise_sigma_for(const std::vector<double>& sigmas, Spacing spacing) {
    const double sigma_max = *std::max_element(sigmas.begin(), sigmas.end());
    return spacing == Spacing::leading ? std::sqrt(sigma_max * sigma_max + 1.0) : sigma_max;
}


void make_sigmas_finite(std::vector<double>& alphas_cumprod) {
    if (!alphas_cumprod.empty() && alphas_cumprod.back() <= 0.0) alphas_cumprod.back() = std::ldexp(1.0, -24);
}

Denoised denoised_at(Prediction prediction, double sigma) {
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

void scale_for_sigma(double sigma, const TensorView& sample, const MutableTensorView& out) {
    const double scale = 1.0 / std::sqrt(sigma * sigma + 1.0);
    const float* x = sample.data();
    float* y = out.data();
    for (int64_t k = 0, n = sample.numel(); k < n; ++k) y[k] = static_cast<float>(x[k] * scale);
}

}  // namespace genhost::schedulers
