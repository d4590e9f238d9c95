// DDPM ancestral sampling (Ho et al. 2020, "Denoising Diffusion Probabilistic Models"),
// with diffusers' DDPMScheduler parameters. A run of n < num_train_timesteps steps
// jumps between the listed timesteps t -> t' ("strided DDPM"), using the posterior
// q(x_t' | x_t, x0) of the two-step chain (Ho et al. eq. 6-7, with alpha_t replaced by
// alphas_cumprod[t] / alphas_cumprod[t']).
#include <algorithm>
#include <cmath>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/discrete_scheduler.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.ddpm";

class Ddpm : public DiscreteScheduler {
public:
    static PluginInfo info() {
        ParamSchema schema;
        add_schedule_params(schema, {0.0001, 0.02, "leading", 1000});
        schema.choice("variance_type", "fixed_small", {"fixed_small", "fixed_large"},
                      "the reverse-step variance: fixed_small is the posterior variance beta~_t, "
                      "fixed_large is beta_t (Ho et al. section 3.2)")
            .boolean("clip_sample", true, "clip the predicted x0 to [-clip_sample_range, clip_sample_range]")
            .number("clip_sample_range", 1.0, "the bound of clip_sample", 0.0);
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "DDPM", "1.0.0", "genhost",
                "Denoising diffusion probabilistic models: ancestral sampling with fresh noise at "
                "every step (Ho et al. 2020); strided runs of fewer steps are allowed.",
                {"diffusion", "stochastic"}, schema};
    }

    explicit Ddpm(const Context& context)
        : DiscreteScheduler(kId, context),
          fixed_large_(context.params.string("variance_type") == "fixed_large"),
          clip_sample_(context.params.boolean("clip_sample")),
          clip_range_(context.params.number("clip_sample_range")) {}

    void step(const SchedulerStep& args, const MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const size_t i = args.step_index;
        const auto t = static_cast<size_t>(timesteps_[i]);
        // The previous timestep is the next one listed; after the last comes "t = -1",
        // the clean image, with alphas_cumprod = 1.
        const double a_t = alphas_cumprod_[t];
        const double a_prev = alpha_after(i, 1.0);
        const double b_t = 1.0 - a_t, b_prev = 1.0 - a_prev;
        const double alpha = a_t / a_prev, beta = 1.0 - alpha;  // of the (strided) step t' -> t

        // Posterior mean, Ho et al. eq. 7: mu = c_x0 x0 + c_xt x_t.
        const double c_x0 = std::sqrt(a_prev) * beta / b_t;
        const double c_xt = std::sqrt(alpha) * b_prev / b_t;
        // Posterior variance beta~ = (1 - a_prev) / (1 - a_t) beta (floored as diffusers
        // does), or beta itself; no noise is added on the way to t = 0.
        double variance = fixed_large_ ? beta : std::max(b_prev / b_t * beta, 1e-20);
        const double stddev = t > 0 ? std::sqrt(variance) : 0.0;

        const int64_t n = prev_sample.numel();
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        if (stddev > 0.0) fill_step_noise(args, prev, n);  // noise first, then overwritten below
        const VpTerms m = vp_terms(prediction_, a_t);
        for (int64_t k = 0; k < n; ++k) {
            double x0 = m.x0_x * x[k] + m.x0_out * out[k];
            if (clip_sample_) x0 = std::clamp(x0, -clip_range_, clip_range_);
            double mean = c_x0 * x0 + c_xt * x[k];
            prev[k] = static_cast<float>(stddev > 0.0 ? mean + stddev * prev[k] : mean);
        }
    }

private:
    bool fixed_large_;
    bool clip_sample_;
    double clip_range_;
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::Ddpm);
