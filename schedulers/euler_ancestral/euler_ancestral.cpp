// Euler ancestral sampling (k-diffusion's sample_euler_ancestral, diffusers'
// EulerAncestralDiscreteScheduler): an Euler step down to sigma_down, then fresh noise
// of size sigma_up, chosen so that sigma_down^2 + sigma_up^2 = sigma_next^2 and the
// step matches DDPM's ancestral (posterior) step in the sigma view:
//   sigma_up   = sqrt(sigma_next^2 (sigma^2 - sigma_next^2) / sigma^2)
//   sigma_down = sqrt(sigma_next^2 - sigma_up^2)
//   x_next     = x + (sigma_down - sigma) (x - x0) / sigma + sigma_up z
#include <algorithm>
#include <cmath>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/sigma_scheduler.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.euler-ancestral";

class EulerAncestral : public SigmaScheduler {
public:
    static PluginInfo info() {
        ParamSchema schema;
        add_schedule_params(schema, {0.0001, 0.02, "linspace", 50});
        schema.boolean("use_karras_sigmas", false, "space the sigmas as Karras et al. 2022 (rho = 7)");
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "Euler ancestral", "1.0.0", "genhost",
                "Euler steps in sigma with fresh noise at every step (ancestral sampling); stochastic.",
                {"diffusion", "stochastic"}, schema};
    }

    explicit EulerAncestral(const Context& context) : SigmaScheduler(kId, context) {}

    void step(const SchedulerStep& args, const MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const double sigma = sigmas_[args.step_index], sigma_next = sigmas_[args.step_index + 1];
        const double up = std::sqrt(sigma_next * sigma_next * (sigma * sigma - sigma_next * sigma_next) / (sigma * sigma));
        const double down = std::sqrt(std::max(0.0, sigma_next * sigma_next - up * up));  // >= 0 up to rounding
        const double dt = down - sigma;
        const Denoised d = denoised_at(prediction_, sigma);
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        const int64_t n = prev_sample.numel();
        fill_step_noise(args, prev, n);
        for (int64_t k = 0; k < n; ++k) {
            const double x0 = d.c_sample * x[k] + d.c_output * out[k];
            const double derivative = (x[k] - x0) / sigma;
            prev[k] = static_cast<float>(x[k] + derivative * dt + up * prev[k]);
        }
    }
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::EulerAncestral);
