// The half that DDPM and DDIM share: the training schedule and a run of integer timesteps
// spaced as diffusers does (leading, trailing, linspace), stepping from each listed
// timestep to the next one listed. A subclass adds its update rule (step).
#pragma once

#include <cstdint>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include <genhost/cpp/scheduler/noise_schedule.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>
#include <genhost/cpp/scheduler/timesteps.hpp>

namespace genhost::schedulers {

class DiscreteScheduler : public Scheduler {
public:
    // Reads the shared params (add_schedule_params).
    DiscreteScheduler(const char* id, const Context& context);

    std::vector<float> alphas_cumprod() const override { return to_float(alphas_cumprod_); }
    void set_timesteps(uint32_t n) override;
    std::vector<float> timesteps() const override { return to_float(timesteps_); }

protected:
    // alphas_cumprod at the timestep step `i` starts from, and at the one it ends on
    // (`after_last` past the end of the run).
    double alpha_at(size_t i) const { return alphas_cumprod_[static_cast<size_t>(timesteps_[i])]; }
    double alpha_after(size_t i, double after_last) const {
        return i + 1 < timesteps_.size() ? alpha_at(i + 1) : after_last;
    }

    const char* id_;
    std::vector<double> alphas_cumprod_;
    Prediction prediction_;
    std::vector<double> timesteps_;

private:
    Spacing spacing_;
    int64_t steps_offset_;
};

// ---- implementation (header-only: nothing to link) ----

inline DiscreteScheduler::DiscreteScheduler(const char* id, const Context& context)
    : id_(id),
      alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
      prediction_(parse_prediction(context.params.string("prediction_type"))),
      spacing_(parse_spacing(context.params.string("timestep_spacing"))),
      steps_offset_(context.params.integer("steps_offset")) {}

inline void DiscreteScheduler::set_timesteps(uint32_t n) {
    const int64_t N = static_cast<int64_t>(alphas_cumprod_.size());
    check_inference_steps(id_, n, N);
    std::vector<double> t = discrete_timesteps(N, n, spacing_, steps_offset_);
    check_timestep_range(id_, t, N);
    timesteps_ = std::move(t);
}

}  // namespace genhost::schedulers
