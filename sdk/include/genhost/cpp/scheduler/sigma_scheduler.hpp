// The half that Euler, Euler ancestral and Heun share: they all integrate the
// probability-flow ODE in sigma (Karras et al. 2022), so they share the training schedule,
// the run's timesteps and sigmas, init_noise_sigma and the model-input scaling
// x / sqrt(sigma^2 + 1). A subclass adds its update rule (step) and may reshape the run
// (finish_run: Heun lists every timestep twice; Euler may end at sigma_min).
#pragma once

#include <cstdint>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/noise_schedule.hpp>
#include <genhost/cpp/scheduler/sigmas.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>
#include <genhost/cpp/scheduler/timesteps.hpp>

namespace genhost::schedulers {

class SigmaScheduler : public Scheduler {
public:
    // Reads the shared params (add_schedule_params + use_karras_sigmas).
    SigmaScheduler(const char* id, const Context& context);

    std::vector<float> alphas_cumprod() const override { return to_float(alphas_cumprod_); }
    void set_timesteps(uint32_t n) override;
    std::vector<float> timesteps() const override { return to_float(timesteps_); }
    float init_noise_sigma() const override { return static_cast<float>(init_noise_sigma_); }
    void scale_model_input(uint32_t step_index, const TensorView& sample, const MutableTensorView& out) override;

protected:
    // Turns the n timesteps and sigmas of a new run into the lists the steps walk, and
    // resets any per-run state. The default ends the run at sigma 0.
    virtual void finish_run(SigmaRun& run) { run.sigmas.push_back(0.0); }

    const char* id_;
    std::vector<double> alphas_cumprod_;
    Prediction prediction_;
    std::vector<double> timesteps_, sigmas_;  // sigmas_ has one more entry: the end of the last step

private:
    Spacing spacing_;
    int64_t steps_offset_;
    bool karras_;
    double init_noise_sigma_ = 1.0;
};

// ---- implementation (header-only: nothing to link) ----

inline SigmaScheduler::SigmaScheduler(const char* id, const Context& context)
    : id_(id),
      alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
      prediction_(parse_prediction(context.params.string("prediction_type"))),
      spacing_(parse_spacing(context.params.string("timestep_spacing"))),
      steps_offset_(context.params.integer("steps_offset")),
      karras_(context.params.boolean("use_karras_sigmas")) {
    make_sigmas_finite(alphas_cumprod_);
    init_noise_sigma_ = init_noise_sigma_for(training_sigmas(alphas_cumprod_), spacing_);
}

inline void SigmaScheduler::set_timesteps(uint32_t n) {
    const int64_t N = static_cast<int64_t>(alphas_cumprod_.size());
    check_inference_steps(id_, n, N);
    SigmaRun run = euler_family_run(alphas_cumprod_, n, spacing_, steps_offset_, karras_);
    check_timestep_range(id_, run.timesteps, N);
    finish_run(run);
    timesteps_ = std::move(run.timesteps);
    sigmas_ = std::move(run.sigmas);
    init_noise_sigma_ = init_noise_sigma_for(sigmas_, spacing_);
}

inline void SigmaScheduler::scale_model_input(uint32_t step_index, const TensorView& sample, const MutableTensorView& out) {
    check_step_index(id_, step_index, timesteps_.size());
    check_same_shape(id_, sample, out, "the model input");
    scale_for_sigma(sigmas_[step_index], sample, out);
}

}  // namespace genhost::schedulers
