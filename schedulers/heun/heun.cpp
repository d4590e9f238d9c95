// Heun's method on the probability-flow ODE in sigma (Karras et al. 2022, Algorithm 1
// with churn 0), with diffusers' HeunDiscreteScheduler parameters. Each interval costs
// two model evaluations, so the run lists every timestep but the first twice:
//   even step i (predictor): d = (x - x0(x, sigma)) / sigma;  x~ = x + (sigma_next - sigma) d
//   odd step i  (corrector): d' = (x~ - x0(x~, sigma_next)) / sigma_next;
//                            x_next = x + (sigma_next - sigma) (d + d') / 2
// The last interval ends at sigma = 0 and takes the Euler step alone, as in the paper.
#include <algorithm>
#include <cmath>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/sigma_scheduler.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>

namespace genhost::schedulers {
namespace {

const char* const kId = "org.genhost.heun";

class Heun : public SigmaScheduler {
public:
    static PluginInfo info() {
        ParamSchema schema;
        add_schedule_params(schema, {0.00085, 0.012, "linspace", 50});
        schema.boolean("use_karras_sigmas", false, "space the sigmas as Karras et al. 2022 (rho = 7)")
            .boolean("clip_sample", false, "clip the predicted x0 to [-clip_sample_range, clip_sample_range]")
            .number("clip_sample_range", 1.0, "the bound of clip_sample", 0.0);
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "Heun", "1.0.0", "genhost",
                "Heun's second-order method on the probability-flow ODE (Karras et al. 2022); "
                "two model calls per step, deterministic.",
                {"diffusion", "deterministic", "second-order"}, schema};
    }

    explicit Heun(const Context& context)
        : SigmaScheduler(kId, context),
          clip_sample_(context.params.boolean("clip_sample")),
          clip_range_(context.params.number("clip_sample_range")) {}

    void step(const SchedulerStep& args, const MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const uint32_t i = args.step_index;
        const bool corrector = i % 2 == 1;
        const double sigma = corrector ? sigmas_[i - 1] : sigmas_[i];
        const double sigma_next = corrector ? sigmas_[i] : sigmas_[i + 1];
        const double dt = sigma_next - sigma;
        const size_t n = static_cast<size_t>(prev_sample.numel());
        if (corrector && (predictor_step_ != static_cast<int64_t>(i) - 1 || first_sample_.size() != n))
            throw PluginError(GENHOST_ERROR_STATE,
                              std::string(kId) + ": step " + std::to_string(i) +
                                  " is Heun's corrector and needs predictor step " + std::to_string(i - 1) +
                                  " of the same run, on a sample of the same size, just before it");
        // The corrector's input was x~ at sigma_next, so x0 is read at sigma_next.
        const double at = corrector ? sigma_next : sigma;
        const Denoised d = denoised_at(prediction_, at);
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        if (!corrector) first_sample_.resize(n), first_derivative_.resize(n);
        for (size_t k = 0; k < n; ++k) {
            double x0 = d.c_sample * x[k] + d.c_output * out[k];
            if (clip_sample_) x0 = std::clamp(x0, -clip_range_, clip_range_);
            const double derivative = (x[k] - x0) / at;
            if (corrector) {
                prev[k] = static_cast<float>(first_sample_[k] + 0.5 * (first_derivative_[k] + derivative) * dt);
            } else {
                first_sample_[k] = x[k], first_derivative_[k] = derivative;
                prev[k] = static_cast<float>(x[k] + derivative * dt);
            }
        }
        predictor_step_ = corrector ? -1 : static_cast<int64_t>(i);
    }

protected:
    // timesteps t0, t1, t1, ..., t_{n-1}, t_{n-1}; sigmas s0, s1, s1, ..., s_{n-1}, s_{n-1}, 0.
    void finish_run(SigmaRun& run) override {
        SigmaRun twice;
        twice.timesteps = {run.timesteps.front()};
        twice.sigmas = {run.sigmas.front()};
        for (size_t i = 1; i < run.timesteps.size(); ++i) {
            twice.timesteps.insert(twice.timesteps.end(), 2, run.timesteps[i]);
            twice.sigmas.insert(twice.sigmas.end(), 2, run.sigmas[i]);
        }
        twice.sigmas.push_back(0.0);
        run = std::move(twice);
        predictor_step_ = -1;  // a new run: no predictor step to correct
        first_sample_.clear(), first_derivative_.clear();
    }

private:
    bool clip_sample_;
    double clip_range_;
    // The predictor step's sample and slope, kept for its corrector.
    int64_t predictor_step_ = -1;
    std::vector<double> first_sample_, first_derivative_;
};

}  // namespace
}  // namespace genhost::schedulers

GENHOST_PLUGINS(genhost::schedulers::Heun);
