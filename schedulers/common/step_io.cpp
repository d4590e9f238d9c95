#include "common/step_io.hpp"

#include <cmath>

#include <functional>
#include <stdexcept>

#include <genhost/cpp/context.hpp>

#include "common/philox_normal.hpp"

namespace genhost::schedulers {

Prediction parse_prediction(const std::string& name) {
    if (name == "epsilon") return Prediction::epsilon;
    if (name == "v_prediction") return Prediction::v_prediction;
    if (name == "sample") return Prediction::sample;
    throw std::invalid_argument("prediction_type '" + name + "' is not one of epsilon, v_prediction, sample");
}

void check_step_index(const std::string& who, uint32_t step_index, size_t count) {
    if (count == 0)
        throw PluginError(GENHOST_ERROR_STATE, who + ": step called before set_timesteps; call set_timesteps(n) "
                                                     "to start a sampling run");
    if (step_index >= count)
        throw std::out_of_range(who + ": step_index " + std::to_string(step_index) + " is past the run's " +
                                std::to_string(count) + " timesteps (valid: 0.." + std::to_string(count - 1) + ")");
}

namespace {

bool overlaps(const void* a, int64_t a_count, const void* b, int64_t b_count) {
    std::less<const void*> before;
    const float* a0 = static_cast<const float*>(a);
    const float* b0 = static_cast<const float*>(b);
    return before(a0, b0 + b_count) && before(b0, a0 + a_count);
}

}  // namespace

void check_same_shape(const std::string& who, const TensorView& sample, const MutableTensorView& out,
                      const char* what) {
    if (out.shape() != sample.shape())
        throw std::invalid_argument(who + ": " + what + " has shape " + shape_string(out.shape()) +
                                    " but sample has shape " + shape_string(sample.shape()) +
                                    "; they must match");
}

void check_step_tensors(const std::string& who, const SchedulerStep& args, const MutableTensorView& prev) {
    if (args.model_output.shape() != args.sample.shape())
        throw std::invalid_argument(who + ": model_output has shape " + shape_string(args.model_output.shape()) +
                                    " but sample has shape " + shape_string(args.sample.shape()) +
                                    "; the denoiser must predict one value per sample value");
    check_same_shape(who, args.sample, prev, "prev_sample");
    const int64_t n = prev.numel();
    if (overlaps(prev.data(), n, args.sample.data(), n) || overlaps(prev.data(), n, args.model_output.data(), n))
        throw std::invalid_argument(who + ": prev_sample shares memory with sample or model_output; "
                                          "pass a separate output buffer");
}

VpTerms vp_terms(Prediction prediction, double a) {
    const double sa = std::sqrt(a), sb = std::sqrt(1.0 - a);
    switch (prediction) {
        case Prediction::epsilon: return {1.0 / sa, -sb / sa, 0.0, 1.0};      // eps = output
        case Prediction::v_prediction: return {sa, -sb, sb, sa};              // v = sa eps - sb x0
        case Prediction::sample: default: return {0.0, 1.0, 1.0 / sb, -sa / sb};  // x0 = output
    }
}

void fill_step_noise(const SchedulerStep& args, float* out, int64_t n) {
    if (!args.seeds) { fill_normal(args.seed, out, n); return; }
    const int64_t images = args.seeds->numel(), per_image = images > 0 ? n / images : 0;
    const uint64_t* seeds = args.seeds->data();
    for (int64_t i = 0; i < images; ++i) fill_normal(seeds[i], out + i * per_image, per_image);
}

}  // namespace genhost::schedulers
