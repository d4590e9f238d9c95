// DDIM (Song et al. 2021, "Denoising Diffusion Implicit Models"), with diffusers'
// DDIMScheduler parameters and `eta` as a parameter. Eq. 12 of the paper:
//   x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev - sigma^2) eps + sigma z,
//   sigma  = eta sqrt((1 - a_prev) / (1 - a_t)) sqrt(1 - a_t / a_prev)          (eq. 16)
// eta = 0 is the deterministic DDIM sampler, eta = 1 is DDPM's posterior variance.
// The previous timestep is the next one in the run's list (the paper's tau_{i-1}); for
// leading and trailing spacing that is t - num_train_timesteps // n as in diffusers.
#include <algorithm>
#include <cmath>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/discrete_scheduler.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.ddim";

class Ddim : public DiscreteScheduler {
public:
    static PluginInfo info() {
        ParamSchema schema;
        add_schedule_params(schema, {0.0001, 0.02, "leading", 50});
        schema.number("eta", 0.0, "weight of the fresh noise: 0 is deterministic DDIM, 1 is DDPM's variance", 0.0, 1.0)
            .boolean("clip_sample", true, "clip the predicted x0 to [-clip_sample_range, clip_sample_range]")
            .number("clip_sample_range", 1.0, "the bound of clip_sample", 0.0)
            .boolean("use_clipped_model_output", false,
                     "re-derive the noise from the clipped x0 (GLIDE; diffusers' step argument): keeps the "
                     "update consistent where clipping bites, as with classifier-free guidance")
            .boolean("set_alpha_to_one", true,
                     "the final step goes to alphas_cumprod = 1 (a clean image); false uses alphas_cumprod[0]");
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "DDIM", "1.0.0", "genhost",
                "Denoising diffusion implicit models: few-step sampling, deterministic at eta = 0 "
                "(Song et al. 2021).",
                {"diffusion", "deterministic", "stochastic"}, schema};
    }

    explicit Ddim(const Context& context)
        : DiscreteScheduler(kId, context),
          eta_(context.params.number("eta")),
          clip_sample_(context.params.boolean("clip_sample")),
          clip_range_(context.params.number("clip_sample_range")),
          use_clipped_(context.params.boolean("use_clipped_model_output")),
          final_alpha_cumprod_(context.params.boolean("set_alpha_to_one") ? 1.0 : alphas_cumprod_.front()) {}

    void step(const SchedulerStep& args, const MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const size_t i = args.step_index;
        const double a_t = alpha_at(i);
        const double a_prev = alpha_after(i, final_alpha_cumprod_);
        const double b_t = 1.0 - a_t, b_prev = 1.0 - a_prev;
        const double sigma = eta_ * std::sqrt(b_prev / b_t * (1.0 - a_t / a_prev));
        // max(0, .) only guards rounding: for eta <= 1 the difference is >= 0.
        const double direction = std::sqrt(std::max(0.0, b_prev - sigma * sigma));
        const double sqrt_a_prev = std::sqrt(a_prev);

        const int64_t n = prev_sample.numel();
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        if (sigma > 0.0) fill_step_noise(args, prev, n);
        const VpTerms m = vp_terms(prediction_, a_t);
        const double sqrt_a_t = std::sqrt(a_t), sqrt_b_t = std::sqrt(b_t);
        for (int64_t k = 0; k < n; ++k) {
            double x0 = m.x0_x * x[k] + m.x0_out * out[k];
            double eps = m.eps_x * x[k] + m.eps_out * out[k];
            // By default, as diffusers, eps is not recomputed from the clipped x0: with
            // guidance the two then disagree where clipping bites, and backgrounds drift.
            if (clip_sample_) {
                x0 = std::clamp(x0, -clip_range_, clip_range_);
                if (use_clipped_) eps = (x[k] - sqrt_a_t * x0) / sqrt_b_t;
            }
            double next = sqrt_a_prev * x0 + direction * eps;
            prev[k] = static_cast<float>(sigma > 0.0 ? next + sigma * prev[k] : next);
        }
    }

private:
    double eta_;
    bool clip_sample_;
    double clip_range_;
    bool use_clipped_;
    double final_alpha_cumprod_;
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::Ddim);
