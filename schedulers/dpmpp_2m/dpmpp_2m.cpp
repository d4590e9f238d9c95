// DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of
// Diffusion Probabilistic Models", Algorithm 2), with diffusers'
// DPMSolverMultistepScheduler parameters (algorithm_type dpmsolver++, solver_order 2).
// In lambda = log(alpha_t / sigma_t) = -log(sigma), with h = lambda_next - lambda and
// x0 predictions D from this step (m0) and the previous one (m1):
//   first order:  x_next = (sigma_t / sigma_s) x - alpha_t (e^-h - 1) m0   (= DDIM)
//   second order: D1 = (m0 - m1) / r0,  r0 = (lambda - lambda_prev) / h
//     midpoint:   x_next = (sigma_t / sigma_s) x - alpha_t (e^-h - 1) (m0 + D1 / 2)
//     heun:       x_next = (sigma_t / sigma_s) x - alpha_t (e^-h - 1) m0 + alpha_t ((e^-h - 1) / h + 1) D1
// Here alpha_t, sigma_t are the VP coefficients of the VE noise level sigma:
// alpha_t = 1 / sqrt(sigma^2 + 1), sigma_t = sigma alpha_t.
// The solver keeps the previous x0 prediction: set_timesteps clears it, and steps must
// come in order.
// thresholding (diffusers' option; Saharia et al. 2022, "Imagen", section 2.3): per image,
// s = the dynamic_thresholding_ratio quantile of |x0|, clamped to [1, sample_max_value],
// and x0 <- clip(x0, -s, s) / s. With sample_max_value 1 it clips x0 to [-1, 1], as DDIM's
// clip_sample does: an ODE solver without it can run a pixel-space model that is not yet
// well trained into saturated images.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/noise_schedule.hpp>
#include <genhost/cpp/scheduler/sigmas.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>
#include <genhost/cpp/scheduler/timesteps.hpp>

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.dpmpp-2m";

class DpmSolverPlusPlus2M : public Scheduler {
public:
    static PluginInfo info() {
        ParamSchema schema;
        add_schedule_params(schema, {0.0001, 0.02, "linspace", 20});
        schema.boolean("use_karras_sigmas", false, "space the sigmas as Karras et al. 2022 (rho = 7)")
            .choice("final_sigmas_type", "zero", {"zero", "sigma_min"},
                    "the sigma after the last step: 0 (a clean image) or the smallest training sigma")
            .boolean("lower_order_final", true, "use a first-order last step in runs under 15 steps (more stable)")
            .boolean("euler_at_final", false, "always use a first-order (Euler) last step")
            .choice("solver_type", "midpoint", {"midpoint", "heun"},
                    "the second-order update; midpoint is DPM-Solver++(2M) as published")
            .boolean("thresholding", false,
                     "dynamic thresholding of the predicted x0 per image (Imagen); for pixel-space models")
            .number("dynamic_thresholding_ratio", 0.995, "the quantile of |x0| that thresholding clips at", 0.0, 1.0)
            .number("sample_max_value", 1.0, "the largest threshold, at least 1 (1: clip x0 to [-1, 1])", 1.0);
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "DPM-Solver++ 2M", "1.0.0", "genhost",
                "DPM-Solver++(2M): a second-order multistep ODE solver, good samples in 15-25 "
                "steps (Lu et al. 2022); deterministic.",
                {"diffusion", "deterministic", "multistep"}, schema};
    }

    explicit DpmSolverPlusPlus2M(const Context& context)
        : alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
          prediction_(parse_prediction(context.params.string("prediction_type"))),
          spacing_(parse_spacing(context.params.string("timestep_spacing"))),
          steps_offset_(context.params.integer("steps_offset")),
          karras_(context.params.boolean("use_karras_sigmas")),
          final_sigma_min_(context.params.string("final_sigmas_type") == "sigma_min"),
          lower_order_final_(context.params.boolean("lower_order_final")),
          euler_at_final_(context.params.boolean("euler_at_final")),
          heun_(context.params.string("solver_type") == "heun"),
          thresholding_(context.params.boolean("thresholding")),
          threshold_ratio_(context.params.number("dynamic_thresholding_ratio")),
          sample_max_(context.params.number("sample_max_value")) {
        make_sigmas_finite(alphas_cumprod_);
    }

    std::vector<float> alphas_cumprod() const override { return to_float(alphas_cumprod_); }

    void set_timesteps(uint32_t n) override {
        const int64_t N = static_cast<int64_t>(alphas_cumprod_.size());
        check_inference_steps(kId, n, N);
        std::vector<double> timesteps = dpm_solver_timesteps(N, n, spacing_, steps_offset_);
        check_timestep_range(kId, timesteps, N);
        const std::vector<double> table = training_sigmas(alphas_cumprod_);
        std::vector<double> sigmas;
        if (karras_) {
            // From the smallest to the largest training sigma (not the run's range, as Euler).
            sigmas = karras_sigmas(table.front(), table.back(), n);
            std::vector<double> log_sigmas(table.size());
            for (size_t t = 0; t < table.size(); ++t) log_sigmas[t] = std::log(table[t]);
            for (size_t i = 0; i < n; ++i) timesteps[i] = std::nearbyint(sigma_to_timestep(sigmas[i], log_sigmas));
        } else {
            for (double t : timesteps) sigmas.push_back(table[static_cast<size_t>(t)]);
        }
        sigmas.push_back(final_sigma_min_ ? table.front() : 0.0);
        timesteps_ = std::move(timesteps);
        sigmas_ = std::move(sigmas);
        next_step_ = 0;
        previous_x0_.clear();
    }

    std::vector<float> timesteps() const override { return to_float(timesteps_); }

    void step(const SchedulerStep& args, const MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const uint32_t i = args.step_index;
        if (i != next_step_)
            throw PluginError(GENHOST_ERROR_STATE, std::string(kId) + ": step " + std::to_string(i) +
                                                       " out of order; this multistep solver expects step " +
                                                       std::to_string(next_step_) +
                                                       " next (call set_timesteps to start a new run)");
        const size_t n = static_cast<size_t>(prev_sample.numel());
        if (i > 0 && previous_x0_.size() != n)
            throw std::invalid_argument(std::string(kId) + ": the sample has " + std::to_string(n) +
                                        " values but the previous step's had " + std::to_string(previous_x0_.size()) +
                                        "; keep one batch shape for a whole run");
        const size_t count = timesteps_.size();
        const double s0 = sigmas_[i], s_next = sigmas_[i + 1];
        const bool last = i + 1 == count;
        const bool first_order = i == 0 || s_next == 0.0 ||
                                 (last && (euler_at_final_ || (lower_order_final_ && count < 15) || !final_sigma_min_));

        const double alpha_s = 1.0 / std::sqrt(s0 * s0 + 1.0), sigma_s = s0 * alpha_s;
        const double alpha_t = 1.0 / std::sqrt(s_next * s_next + 1.0), sigma_t = s_next * alpha_t;
        const double exp_neg_h = s_next / s0;  // e^(lambda_s - lambda_t) with lambda = -log(sigma)
        const double h = std::log(s0) - std::log(s_next);
        double c_x0 = -alpha_t * (exp_neg_h - 1.0), c_d1 = 0.0;
        if (!first_order) {
            const double s1 = sigmas_[i - 1];
            const double r0 = (std::log(s1) - std::log(s0)) / h;
            // D1 = (m0 - m1) / r0 enters as c_d1 * (m0 - m1).
            c_d1 = (heun_ ? alpha_t * ((exp_neg_h - 1.0) / h + 1.0) : -0.5 * alpha_t * (exp_neg_h - 1.0)) / r0;
        }

        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        x0_.resize(n);
        for (size_t k = 0; k < n; ++k)
            x0_[k] = prediction_ == Prediction::epsilon ? (x[k] - sigma_s * out[k]) / alpha_s
                   : prediction_ == Prediction::v_prediction ? alpha_s * x[k] - sigma_s * out[k]
                   : double(out[k]);
        if (thresholding_) threshold(args.sample.shape().empty() ? 1 : static_cast<size_t>(args.sample.shape()[0]));
        for (size_t k = 0; k < n; ++k) {
            double next = (sigma_t / sigma_s) * x[k] + c_x0 * x0_[k];
            if (!first_order) next += c_d1 * (x0_[k] - previous_x0_[k]);
            prev[k] = static_cast<float>(next);
        }
        previous_x0_.swap(x0_);  // the thresholded prediction is the next step's m1, as in diffusers
        ++next_step_;
    }

private:
    // x0_ <- clip(x0_, -s, s) / s per image, s the ratio quantile of |x0| (linear
    // interpolation, as numpy and torch.quantile) clamped to [1, sample_max_value].
    void threshold(size_t images) {
        const size_t per = x0_.size() / std::max<size_t>(1, images);
        if (per == 0) return;
        std::vector<double> magnitude(per);
        for (size_t b = 0; b < images; ++b) {
            double* v = x0_.data() + b * per;
            // NaN (a diverged model) sorts as the largest, so the sort stays well defined.
            for (size_t k = 0; k < per; ++k)
                magnitude[k] = std::isnan(v[k]) ? std::numeric_limits<double>::infinity() : std::fabs(v[k]);
            std::sort(magnitude.begin(), magnitude.end());
            const double at = threshold_ratio_ * static_cast<double>(per - 1);
            const size_t lo = static_cast<size_t>(std::floor(at)), hi = std::min(per - 1, lo + 1);
            const double q = magnitude[lo] + (magnitude[hi] - magnitude[lo]) * (at - static_cast<double>(lo));
            const double s = std::min(std::max(q, 1.0), sample_max_);  // torch.clamp(min=1, max=...)
            for (size_t k = 0; k < per; ++k) v[k] = std::clamp(v[k], -s, s) / s;
        }
    }

    std::vector<double> alphas_cumprod_;
    Prediction prediction_;
    Spacing spacing_;
    int64_t steps_offset_;
    bool karras_, final_sigma_min_, lower_order_final_, euler_at_final_, heun_, thresholding_;
    double threshold_ratio_, sample_max_;
    std::vector<double> timesteps_, sigmas_;
    uint32_t next_step_ = 0;
    std::vector<double> x0_;           // m0: this step's x0 prediction
    std::vector<double> previous_x0_;  // m1: the x0 prediction of the previous step
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::DpmSolverPlusPlus2M);
