// Euler's method on the probability-flow ODE in sigma (Karras et al. 2022, Algorithm 1
// with churn 0), with diffusers' EulerDiscreteScheduler parameters:
//   d = (x - x0(x, sigma)) / sigma,   x_next = x + (sigma_next - sigma) d.
#include <cmath>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/sigma_scheduler.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.euler";

class Euler : public SigmaScheduler {
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
        : SigmaScheduler(kId, context),
          final_sigma_min_(context.params.string("final_sigmas_type") == "sigma_min") {}

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

protected:
    // The run ends at 0 (a clean image) or at the smallest training sigma.
    void finish_run(SigmaRun& run) override {
        const double a0 = alphas_cumprod_.front();
        run.sigmas.push_back(final_sigma_min_ ? std::sqrt((1.0 - a0) / a0) : 0.0);
    }

private:
    bool final_sigma_min_;
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::Euler);
