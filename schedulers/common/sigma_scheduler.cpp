#include "common/sigma_scheduler.hpp"

#include "common/step_io.hpp"

namespace genhost::schedulers {

SigmaScheduler::SigmaScheduler(const char* id, const Context& context)
    : id_(id),
      alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
      prediction_(parse_prediction(context.params.string("prediction_type"))),
      spacing_(parse_spacing(context.params.string("timestep_spacing"))),
      steps_offset_(context.params.integer("steps_offset")),
      karras_(context.params.boolean("use_karras_sigmas")) {
    make_sigmas_finite(alphas_cumprod_);
    init_noise_sigma_ = init_noise_sigma_for(training_sigmas(alphas_cumprod_), spacing_);
}

void SigmaScheduler::set_timesteps(uint32_t n) {
    const int64_t N = static_cast<int64_t>(alphas_cumprod_.size());
    check_inference_steps(id_, n, N);
    SigmaRun run = euler_family_run(alphas_cumprod_, n, spacing_, steps_offset_, karras_);
    check_timestep_range(id_, run.timesteps, N);
    finish_run(run);
    timesteps_ = std::move(run.timesteps);
    sigmas_ = std::move(run.sigmas);
    init_noise_sigma_ = init_noise_sigma_for(sigmas_, spacing_);
}

void SigmaScheduler::scale_model_input(uint32_t step_index, const TensorView& sample, const MutableTensorView& out) {
    check_step_index(id_, step_index, timesteps_.size());
    check_same_shape(id_, sample, out, "the model input");
    scale_for_sigma(sigmas_[step_index], sample, out);
}

}  // namespace genhost::schedulers
