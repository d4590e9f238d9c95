// The half that DDPM and DDIM share: the training schedule and a run of integer timesteps
// spaced as diffusers does (leading, trailing, linspace), stepping from each listed
// timestep to the next one listed. A subclass adds its update rule (step).
#pragma once

#include <cstdint>
#include <vector>

#include <genhost/cpp/plugin.hpp>

#include "common/noise_schedule.hpp"
#include "common/step_io.hpp"
#include "common/timesteps.hpp"

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

}  // namespace genhost::schedulers
