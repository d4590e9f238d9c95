// Euler's method on the probability-flow ODE in sigma (Karras et al. 2022, Algorithm 1
// with churn 0), with diffusers' EulerDiscreteScheduler parameters:
//   d = (x - x0(x, sigma)) / sigma,   x_next = x + (sigma_next - sigma) d.
#include <cmath>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include "common/noise_schedule.hpp"
#include "common/sigmas.hpp"
#include "common/step_io.hpp"
#include "common/timesteps.hpp"

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.euler";

class Euler : public Scheduler {
public:
    static PluginInfo info() {
        ParamSchema schema;
        add_schedule_params(schema, {0.0001, 0.02, "linspace", 50});
        schema.boolean("use_karras_sigmas", false, "space the sigmas as Karras et al. 2022 (rho = 7)")
            .choice("final_sigmas_type", "zero", {"zero", "sigma_min"},
                    "the sigma after the last step: 0 (a clean image) or the smallest training sigma");
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "Euler", "1.0.0", "genhost",
                "Euler steps on the probability-flow ODE in sigma (Karras et al. 2022); deterministic.",
                {"diffusion", "deterministic"}, schema};
    }

    explicit Euler(const Context& context)
        : alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
          prediction_(parse_prediction(context.params.string("prediction_type"))),
          spacing_(parse_spacing(context.params.string("timestep_spacing"))),
          steps_offset_(context.params.integer("steps_offset")),
          karras_(context.params.boolean("use_karras_sigmas")),
          final_sigma_min_(context.params.string("final_sigmas_type") == "sigma_min") {
        make_sigmas_finite(alphas_cumprod_);
        init_noise_sigma_ = init_noise_sigma_for(training_sigmas(alphas_cumprod_), spacing_);
    }

    std::vector<float> alphas_cumprod() const override { return to_float(alphas_cumprod_); }

    void set_timesteps(uint32_t n) override {
        const int64_t N = static_cast<int64_t>(alphas_cumprod_.size());
        check_inference_steps(kId, n, N);
        SigmaRun run = euler_family_run(alphas_cumprod_, n, spacing_, steps_offset_, karras_);
        check_timestep_range(kId, run.timesteps, N);
        const double a0 = alphas_cumprod_.front();
        run.sigmas.push_back(final_sigma_min_ ? std::sqrt((1.0 - a0) / a0) : 0.0);
        timesteps_ = std::move(run.timesteps);
        sigmas_ = std::move(run.sigmas);
        init_noise_sigma_ = init_noise_sigma_for(sigmas_, spacing_);
    }

    std::vector<float> timesteps() const override { return to_float(timesteps_); }
    float init_noise_sigma() const override { return static_cast<float>(init_noise_sigma_); }

    void scale_model_input(uint32_t step_index, const TensorView& sample, const MutableTensorView& out) override {
        check_step_index(kId, step_index, timesteps_.size());
        check_same_shape(kId, sample, out, "the model input");
        scale_for_sigma(sigmas_[step_index], sample, out);
    }

    void step(const SchedulerStep& args, const MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const double sigma = sigmas_[args.step_index], dt = sigmas_[args.step_index + 1] - sigma;
        const Denoised d = denoised_at(prediction_, sigma);
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        for (int64_t k = 0, n = prev_sample.numel(); k < n; ++k) {
            const double x0 = d.c_sample * x[k] + d.c_output * out[k];
            const double derivative = (x[k] - x0) / sigma;
            prev[k] = static_cast<float>(x[k] + derivative * dt);
        }
    }

private:
    std::vector<double> alphas_cumprod_;
    Prediction prediction_;
    Spacing spacing_;
    int64_t steps_offset_;
    bool karras_;
    bool final_sigma_min_;
    double init_noise_sigma_ = 1.0;
    std::vector<double> timesteps_, sigmas_;
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::Euler);
