// A DDIM sampler (Song et al. 2021, eq. 12 with eta = 0) built outside genhost's tree,
// against the installed SDK. The training schedule, the timestep spacing, the prediction
// types and the argument checks come from the SDK's scheduler toolkit, the same code
// genhost's own schedulers use; what is left is the update rule:
//   x0 and eps from the model output (vp_terms), then
//   x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps.
#include <cmath>

#include <genhost/cpp/scheduler.hpp>

namespace {

using namespace genhost::schedulers;

const char* const kId = "com.example.simple-ddim";

class SimpleDdim : public DiscreteScheduler {
public:
    static genhost::PluginInfo info() {
        genhost::ParamSchema schema;
        add_schedule_params(schema, {0.0001, 0.02, "leading", 50});  // diffusers' names and defaults
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "Simple DDIM", "1.0.0", "Example Inc.",
                "Deterministic DDIM (Song et al. 2021) on the SDK's scheduler toolkit.",
                {"diffusion", "deterministic"}, schema};
    }

    explicit SimpleDdim(const genhost::Context& context) : DiscreteScheduler(kId, context) {}

    void step(const genhost::SchedulerStep& args, const genhost::MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const double a_t = alpha_at(args.step_index), a_prev = alpha_after(args.step_index, 1.0);
        const VpTerms m = vp_terms(prediction_, a_t);
        const double sqrt_a_prev = std::sqrt(a_prev), sqrt_b_prev = std::sqrt(1.0 - a_prev);
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        for (int64_t k = 0, n = prev_sample.numel(); k < n; ++k) {
            const double x0 = m.x0_x * x[k] + m.x0_out * out[k];
            const double eps = m.eps_x * x[k] + m.eps_out * out[k];
            prev[k] = static_cast<float>(sqrt_a_prev * x0 + sqrt_b_prev * eps);
        }
    }
};

}  // namespace

GENHOST_PLUGINS(SimpleDdim);
