// Checks every scheduler makes on its inputs, and what the denoiser's output means.
#pragma once

#include <cstdint>
#include <string>

#include <genhost/cpp/capabilities.hpp>
#include <genhost/cpp/tensor_view.hpp>

namespace genhost::schedulers {

// What the denoiser predicts (diffusers' prediction_type).
enum class Prediction { epsilon, v_prediction, sample };

Prediction parse_prediction(const std::string& name);  // throws std::invalid_argument

// What the denoiser's output means at a noise level alphas_cumprod = a, for the schedulers
// that work on x_t = sqrt(a) x0 + sqrt(1 - a) eps (DDPM, DDIM): x0 and eps as linear maps
// of (x_t, output),
//   x0 = x0_x * x_t + x0_out * output,   eps = eps_x * x_t + eps_out * output.
// (The sigma-space schedulers have the same idea in sigmas.hpp: denoised_at.)
struct VpTerms {
    double x0_x, x0_out, eps_x, eps_out;
};
VpTerms vp_terms(Prediction prediction, double alpha_cumprod);

// Throws GENHOST_ERROR_STATE before set_timesteps, std::out_of_range for a step index
// past the run; `who` names the plugin.
void check_step_index(const std::string& who, uint32_t step_index, size_t timestep_count);

// Throws std::invalid_argument unless model_output, sample and prev_sample have one
// shape and prev_sample shares no memory with the inputs.
void check_step_tensors(const std::string& who, const SchedulerStep& args, const MutableTensorView& prev);

// The step's noise into out[0, n) (n = the sample's size): image i's part from
// args.seeds[i] when the host sent per-sample seeds (ABI 1.1), so that it does not depend
// on the host's batching; otherwise all of it from args.seed (philox_normal.hpp).
void fill_step_noise(const SchedulerStep& args, float* out, int64_t n);

// Throws std::invalid_argument unless `out` has the shape of `sample`.
void check_same_shape(const std::string& who, const TensorView& sample, const MutableTensorView& out,
                      const char* what);

}  // namespace genhost::schedulers
