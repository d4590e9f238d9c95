#include "common/discrete_scheduler.hpp"

#include "common/step_io.hpp"

namespace genhost::schedulers {

DiscreteScheduler::DiscreteScheduler(const char* id, const Context& context)
    : id_(id),
      alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
      prediction_(parse_prediction(context.params.string("prediction_type"))),
      spacing_(parse_spacing(context.params.string("timestep_spacing"))),
      steps_offset_(context.params.integer("steps_offset")) {}

void DiscreteScheduler::set_timesteps(uint32_t n) {
    const int64_t N = static_cast<int64_t>(alphas_cumprod_.size());
    check_inference_steps(id_, n, N);
    std::vector<double> t = discrete_timesteps(N, n, spacing_, steps_offset_);
    check_timestep_range(id_, t, N);
    timesteps_ = std::move(t);
}

}  // namespace genhost::schedulers
