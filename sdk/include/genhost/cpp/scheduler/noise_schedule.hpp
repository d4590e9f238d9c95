// The training noise schedule: betas and alphas_cumprod, as diffusers builds them.
//
// DDPM's forward process adds noise in num_train_timesteps small steps of variance
// beta_t; alphas_cumprod[t] = prod_{s<=t} (1 - beta_s) is the signal kept at t, so
// x_t = sqrt(alphas_cumprod[t]) x0 + sqrt(1 - alphas_cumprod[t]) eps.
// Everything is computed in double; the ABI hands out float32.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
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

// ---- implementation (header-only: nothing to link) ----

inline ParamSchema& add_schedule_params(ParamSchema& schema, const ScheduleDefaults& d) {
    schema.integer("num_train_timesteps", 1000, "number of diffusion steps used to train the model", 2, 100000)
        .number("beta_start", d.beta_start, "the starting beta value of the schedule", 0.0, 1.0)
        .number("beta_end", d.beta_end, "the final beta value of the schedule", 0.0, 1.0)
        .choice("beta_schedule", "linear", {"linear", "scaled_linear", "squaredcos_cap_v2", "sigmoid"},
                "the map from a beta range to betas: linear, scaled_linear (linear in sqrt(beta), "
                "Stable Diffusion), squaredcos_cap_v2 (Nichol & Dhariwal's cosine), sigmoid")
        .custom("trained_betas", {{"type", {"array", "null"}},
                                  {"items", {{"type", "number"}}},
                                  {"default", nullptr},
                                  {"description", "betas given directly (num_train_timesteps values); "
                                                  "null uses beta_schedule"}})
        .boolean("rescale_betas_zero_snr", false,
                 "rescale betas to zero terminal SNR (Lin et al. 2023); use with v_prediction")
        .choice("prediction_type", "epsilon", {"epsilon", "v_prediction", "sample"},
                "what the denoiser predicts: the noise, v = sqrt(a) eps - sqrt(1-a) x0, or x0")
        .choice("timestep_spacing", d.timestep_spacing, {"linspace", "leading", "trailing"},
                "how inference timesteps are spread over the training steps "
                "(Table 2 of Lin et al. 2023)")
        .integer("steps_offset", 0, "an offset added to the inference timesteps (leading spacing only)", 0, 100000)
        .integer("num_inference_steps", d.num_inference_steps, "denoising steps of a sampling run", 1, 100000);
    return schema;
}

inline NoiseScheduleConfig read_noise_schedule(const Params& params) {
    NoiseScheduleConfig c;
    c.num_train_timesteps = params.integer("num_train_timesteps");
    c.beta_start = params.number("beta_start");
    c.beta_end = params.number("beta_end");
    c.beta_schedule = params.string("beta_schedule");
    if (params.has("trained_betas")) c.trained_betas = params.numbers("trained_betas");
    c.rescale_betas_zero_snr = params.boolean("rescale_betas_zero_snr");
    return c;
}

inline std::vector<double> linspace(double start, double stop, int64_t count) {
    std::vector<double> v(static_cast<size_t>(std::max<int64_t>(count, 0)));
    if (count == 1) v[0] = start;
    if (count < 2) return v;
    const double step = (stop - start) / static_cast<double>(count - 1);
    for (int64_t i = 0; i < count; ++i) v[static_cast<size_t>(i)] = start + static_cast<double>(i) * step;
    v.back() = stop;
    return v;
}

namespace detail {

// Nichol & Dhariwal 2021, eq. 17: alpha_bar(t) = cos((t + s) / (1 + s) * pi / 2)^2 with
// s = 0.008, betas capped at 0.999 to avoid a singularity at t = 1.
inline std::vector<double> cosine_betas(int64_t n) {
    const double pi = 3.14159265358979323846;
    auto alpha_bar = [&](double t) {
        double c = std::cos((t + 0.008) / 1.008 * pi / 2.0);
        return c * c;
    };
    std::vector<double> betas(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        double t1 = static_cast<double>(i) / static_cast<double>(n);
        double t2 = static_cast<double>(i + 1) / static_cast<double>(n);
        betas[static_cast<size_t>(i)] = std::min(1.0 - alpha_bar(t2) / alpha_bar(t1), 0.999);
    }
    return betas;
}

}  // namespace detail

inline std::vector<double> make_betas(const NoiseScheduleConfig& c) {
    const int64_t n = c.num_train_timesteps;
    std::vector<double> betas;
    if (!c.trained_betas.empty()) {
        if (static_cast<int64_t>(c.trained_betas.size()) != n)
            throw std::invalid_argument("trained_betas has " + std::to_string(c.trained_betas.size()) +
                                        " values but num_train_timesteps is " + std::to_string(n) +
                                        "; give one beta per training step or set num_train_timesteps to " +
                                        std::to_string(c.trained_betas.size()));
        betas = c.trained_betas;
    } else if (c.beta_schedule == "linear") {
        betas = linspace(c.beta_start, c.beta_end, n);
    } else if (c.beta_schedule == "scaled_linear") {
        betas = linspace(std::sqrt(c.beta_start), std::sqrt(c.beta_end), n);
        for (double& b : betas) b *= b;
    } else if (c.beta_schedule == "squaredcos_cap_v2") {
        betas = detail::cosine_betas(n);
    } else if (c.beta_schedule == "sigmoid") {
        betas = linspace(-6.0, 6.0, n);
        for (double& b : betas) b = 1.0 / (1.0 + std::exp(-b)) * (c.beta_end - c.beta_start) + c.beta_start;
    } else {
        throw std::invalid_argument("beta_schedule '" + c.beta_schedule +
                                    "' is not one of linear, scaled_linear, squaredcos_cap_v2, sigmoid");
    }
    for (size_t t = 0; t < betas.size(); ++t)
        if (!(betas[t] >= 0.0 && betas[t] < 1.0))
            throw std::invalid_argument("beta[" + std::to_string(t) + "] = " + std::to_string(betas[t]) +
                                        " is outside [0, 1): check " +
                                        (c.trained_betas.empty() ? "beta_start and beta_end" : "trained_betas"));
    return betas;
}

inline std::vector<double> rescale_zero_terminal_snr(const std::vector<double>& betas) {
    std::vector<double> root = cumulative_alphas(betas);
    for (double& a : root) a = std::sqrt(a);
    const double first = root.front(), last = root.back();
    if (!(first > last))
        throw std::invalid_argument("rescale_betas_zero_snr needs a schedule that loses signal "
                                    "(alphas_cumprod[0] > alphas_cumprod[-1]); check the betas");
    for (double& a : root) a = (a - last) * first / (first - last);
    std::vector<double> rescaled(betas.size());
    for (size_t t = 0; t < root.size(); ++t) {
        double alpha_bar = root[t] * root[t];
        double previous = t == 0 ? 1.0 : root[t - 1] * root[t - 1];
        rescaled[t] = 1.0 - alpha_bar / previous;
    }
    return rescaled;
}

inline std::vector<double> cumulative_alphas(const std::vector<double>& betas) {
    std::vector<double> a(betas.size());
    double product = 1.0;
    for (size_t t = 0; t < betas.size(); ++t) a[t] = product *= 1.0 - betas[t];
    return a;
}

inline std::vector<double> make_alphas_cumprod(const NoiseScheduleConfig& config) {
    std::vector<double> betas = make_betas(config);
    if (config.rescale_betas_zero_snr) betas = rescale_zero_terminal_snr(betas);
    return cumulative_alphas(betas);
}

inline std::vector<float> to_float(const std::vector<double>& values) {
    return std::vector<float>(values.begin(), values.end());
}

}  // namespace genhost::schedulers
