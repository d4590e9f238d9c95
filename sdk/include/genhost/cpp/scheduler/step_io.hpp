// Checks every scheduler makes on its inputs, and what the denoiser's output means.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include <genhost/cpp/capabilities.hpp>
#include <genhost/cpp/context.hpp>
#include <genhost/cpp/tensor_view.hpp>

#include <genhost/cpp/scheduler/philox_normal.hpp>

namespace genhost::schedulers {

// What the denoiser predicts (diffusers' prediction_type).
enum class Prediction { epsilon, v_prediction, sample };

Prediction parse_prediction(const std::string& name);  // throws std::invalid_argument

// What the denoiser's output means at a noise level alphas_cumprod = a, for the schedulers
// that work on x_t = sqrt(a) x0 + sqrt(1 - a) eps (DDPM, DDIM): x0 and eps as linear maps
// of (x_t, output),
//   x0 = x0_x * x_t + x0_out * output,   eps = eps_x * x_t + eps_out * output.
// (The sigma-space schedulers have the same idea in sigmas.hpp: denoised_at.)
// At zero SNR (a = 0, the last step of a rescale_betas_zero_snr schedule) an epsilon
// prediction says nothing about x0: vp_terms then throws std::invalid_argument naming
// the fix (v_prediction, as Lin et al. 2023 use, or sample).
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

// ---- implementation (header-only: nothing to link) ----

inline Prediction parse_prediction(const std::string& name) {
    if (name == "epsilon") return Prediction::epsilon;
    if (name == "v_prediction") return Prediction::v_prediction;
    if (name == "sample") return Prediction::sample;
    throw std::invalid_argument("prediction_type '" + name + "' is not one of epsilon, v_prediction, sample");
}

inline void check_step_index(const std::string& who, uint32_t step_index, size_t count) {
    if (count == 0)
        throw PluginError(GENHOST_ERROR_STATE, who + ": step called before set_timesteps; call set_timesteps(n) "
                                                     "to start a sampling run");
    if (step_index >= count)
        throw std::out_of_range(who + ": step_index " + std::to_string(step_index) + " is past the run's " +
                                std::to_string(count) + " timesteps (valid: 0.." + std::to_string(count - 1) + ")");
}

namespace detail {

inline bool overlaps(const void* a, int64_t a_count, const void* b, int64_t b_count) {
    std::less<const void*> before;
    const float* a0 = static_cast<const float*>(a);
    const float* b0 = static_cast<const float*>(b);
    return before(a0, b0 + b_count) && before(b0, a0 + a_count);
}

}  // namespace detail

inline void check_same_shape(const std::string& who, const TensorView& sample, const MutableTensorView& out,
                      const char* what) {
    if (out.shape() != sample.shape())
        throw std::invalid_argument(who + ": " + what + " has shape " + shape_string(out.shape()) +
                                    " but sample has shape " + shape_string(sample.shape()) +
                                    "; they must match");
}

inline void check_step_tensors(const std::string& who, const SchedulerStep& args, const MutableTensorView& prev) {
    if (args.model_output.shape() != args.sample.shape())
        throw std::invalid_argument(who + ": model_output has shape " + shape_string(args.model_output.shape()) +
                                    " but sample has shape " + shape_string(args.sample.shape()) +
                                    "; the denoiser must predict one value per sample value");
    check_same_shape(who, args.sample, prev, "prev_sample");
    const int64_t n = prev.numel();
    if (detail::overlaps(prev.data(), n, args.sample.data(), n) || detail::overlaps(prev.data(), n, args.model_output.data(), n))
        throw std::invalid_argument(who + ": prev_sample shares memory with sample or model_output; "
                                          "pass a separate output buffer");
}

inline VpTerms vp_terms(Prediction prediction, double a) {
    if (prediction == Prediction::epsilon && !(a > 0.0))
        throw std::invalid_argument(
            "alphas_cumprod is 0 at this timestep (zero terminal SNR: rescale_betas_zero_snr), where an epsilon "
            "prediction does not determine x0; use prediction_type v_prediction or sample (Lin et al. 2023), or "
            "a timestep_spacing that skips the last training step (leading)");
    const double sa = std::sqrt(a), sb = std::sqrt(1.0 - a);
    switch (prediction) {
        case Prediction::epsilon: return {1.0 / sa, -sb / sa, 0.0, 1.0};      // eps = output
        case Prediction::v_prediction: return {sa, -sb, sb, sa};              // v = sa eps - sb x0
        case Prediction::sample: default: return {0.0, 1.0, 1.0 / sb, -sa / sb};  // x0 = output
    }
}

inline void fill_step_noise(const SchedulerStep& args, float* out, int64_t n) {
    if (!args.seeds) { fill_normal(args.seed, out, n); return; }
    const int64_t images = args.seeds->numel(), per_image = images > 0 ? n / images : 0;
    const uint64_t* seeds = args.seeds->data();
    for (int64_t i = 0; i < images; ++i) fill_normal(seeds[i], out + i * per_image, per_image);
}

}  // namespace genhost::schedulers
