// genhost/cpp/capabilities.hpp: the capabilities of a C++ plugin, as base classes.
//
// A plugin class derives from the capabilities it has; the helper generates the
// matching C extension tables (ext/*.h) and answers get_extension for them:
//
//   class MyVae : public genhost::Trainable, public genhost::Generator { ... };
//
// Every method may throw; the helper turns the exception into a status and the
// instance's last_error. Thread rule of every method: [instance-serialized].
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <genhost/cpp/context.hpp>
#include <genhost/cpp/tensor_view.hpp>
#include <genhost/ext/translator.h>

namespace genhost {

// ---- genhost.trainable/1 ---------------------------------------------------------

// A named tensor the host trains in place. `value` and `grad` must stay valid, at the
// same address, for the life of the instance (grad is nullptr for buffers).
struct Parameter {
    std::string name;
    std::string group;
    float* value = nullptr;
    float* grad = nullptr;
    std::vector<int64_t> shape;
    bool buffer = false;  // saved in checkpoints, not trained
    // Buffers the model updates itself: how data-parallel training combines the copies
    // of several processes (ABI 1.2, GENHOST_PARAMETER_REDUCE_*).
    enum class Reduce { none, mean, sum } reduce = Reduce::none;
};

struct Phase {
    std::string name;                 // e.g. "discriminator"
    std::string group;                // the parameter group it computes gradients for
    std::vector<std::string> losses;  // the first is minimized, the rest are reported
    // false: the phase draws no training data (a GAN's generator step); its Batch has
    // empty images, no labels, and `size` examples to make (ABI 1.2, GENHOST_PHASE_NO_DATA).
    bool uses_data = true;
};

struct Batch {
    TensorView images;                // [N, C, H, W]; empty ([0]) for a phase without data
    std::optional<LabelView> labels;  // [N], when the data has labels
    uint64_t step = 0;
    uint64_t seed = 0;
    int64_t size = 0;                 // N: the images' N, or data.batch_size without data
    // [N] from a host of ABI 1.3 or later: example i's noise should derive from seeds[i]
    // alone, so that training gives the same result however many processes share the
    // global batch (docs/distributed.md). Absent: `seed`.
    std::optional<SeedView> seeds;
    // With two data domains (ABI 1.4, DataInfo::domains == 2): domain b's batch beside
    // `images`, which then hold domain a. Absent with one domain or without data.
    std::optional<TensorView> images_b;
    std::optional<LabelView> labels_b;
};

class Trainable {
public:
    virtual ~Trainable() = default;
    // Called once, right after construction.
    virtual std::vector<Parameter> parameters() = 0;
    // Called once, right after construction.
    virtual std::vector<Phase> phases() = 0;
    // Adds the gradients of phase `phase` on `batch` into the group's grads and writes
    // one value per loss name into `losses`.
    virtual void train_phase(uint32_t phase, const Batch& batch, float* losses) = 0;
    virtual void after_update(uint32_t /*phase*/) {}
};

// ---- genhost.generator/1 ---------------------------------------------------------

struct SampleRequest {
    uint64_t seed = 0;
    std::optional<LabelView> labels;
    // [N] from a host of ABI 1.1 or later: sample i's randomness should derive from
    // seeds[i] alone, so that it does not change with the host's batching. Absent: `seed`.
    std::optional<SeedView> seeds;
};

class Generator {
public:
    virtual ~Generator() = default;
    virtual std::array<int64_t, 3> sample_shape() const = 0;  // C, H, W
    virtual int64_t num_classes() const { return 0; }
    // Fills `out` ([N, C, H, W]) with N samples in the data range.
    virtual void generate(const SampleRequest& request, const MutableTensorView& out) = 0;
};

// ---- genhost.denoiser/1 ----------------------------------------------------------

struct DenoiseRequest {
    TensorView sample;                // x_t [N, C, H, W]
    TensorView timesteps;             // [N]
    std::optional<LabelView> labels;  // [N], -1 = no label
};

class Denoiser {
public:
    virtual ~Denoiser() = default;
    virtual std::array<int64_t, 3> sample_shape() const = 0;
    virtual int64_t num_classes() const { return 0; }
    virtual const char* prediction_type() const = 0;  // "epsilon", "v_prediction", "sample"
    virtual void set_noise_schedule(const std::vector<float>& alphas_cumprod) = 0;
    virtual void predict(const DenoiseRequest& request, const MutableTensorView& out) = 0;
};

// ---- genhost.scheduler/1 ---------------------------------------------------------

struct SchedulerStep {
    uint32_t step_index = 0;
    TensorView model_output;
    TensorView sample;
    uint64_t seed = 0;
    std::optional<SeedView> seeds;  // [N], from a host of ABI 1.1 or later (see SampleRequest)
};

class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual std::vector<float> alphas_cumprod() const = 0;  // the training schedule
    virtual void set_timesteps(uint32_t num_inference_steps) = 0;  // starts a run, resets state
    virtual std::vector<float> timesteps() const = 0;              // of the current run
    virtual float init_noise_sigma() const { return 1.0f; }
    // Writes the model input for a step into `out` (which may alias `sample`). The
    // default passes the sample through unchanged, as DDPM and DDIM do.
    virtual void scale_model_input(uint32_t /*step_index*/, const TensorView& sample,
                                   const MutableTensorView& out) {
        if (out.data() != sample.data())
            std::copy(sample.data(), sample.data() + sample.numel(), out.data());
    }
    virtual void step(const SchedulerStep& args, const MutableTensorView& prev_sample) = 0;
};

// ---- genhost.metric/1 ------------------------------------------------------------

class Metric {
public:
    virtual ~Metric() = default;
    virtual std::vector<std::string> value_names() const = 0;  // constant for the instance
    virtual void reset() = 0;
    virtual void update(uint32_t set, const TensorView& images) = 0;  // GENHOST_METRIC_*
    virtual std::vector<double> compute() = 0;
};

// A metric in the feature space of the pipeline's feature network (ABI 1.2): the host
// calls update_features, never update. `probabilities` is absent when the network has
// no classes; a metric that needs them throws PluginError(GENHOST_ERROR_UNSUPPORTED, ...).
class FeatureMetric : public Metric {
public:
    virtual void update_features(uint32_t set, const TensorView& features,
                                 const std::optional<TensorView>& probabilities) = 0;
    void update(uint32_t, const TensorView&) override {
        throw PluginError(GENHOST_ERROR_UNSUPPORTED,
                          "this metric works on features from a feature network (genhost.embedder/1), not on pixels");
    }
};

// ---- genhost.embedder/1 ----------------------------------------------------------

class Embedder {
public:
    virtual ~Embedder() = default;
    virtual int64_t feature_dim() const = 0;
    virtual int64_t embedding_classes() const { return 0; }  // K of the probabilities; 0 = none
    // images [N, C, H, W] in the data range -> features [N, D] and, when asked for,
    // probabilities [N, K]. Deterministic (evaluation mode).
    virtual void embed(const TensorView& images, const MutableTensorView& features,
                       const std::optional<MutableTensorView>& probabilities) = 0;
};

// ---- genhost.latent/1 ------------------------------------------------------------

class Latent {
public:
    virtual ~Latent() = default;
    virtual int64_t latent_dim() const = 0;
    // Fills mean and logvar ([N, D]) with the posterior of each image. The default says
    // the model only decodes (GENHOST_ERROR_UNSUPPORTED), as a GAN would.
    virtual void encode(const TensorView& /*images*/, const std::optional<LabelView>& /*labels*/,
                        const MutableTensorView& /*mean*/, const MutableTensorView& /*logvar*/) {
        throw PluginError(GENHOST_ERROR_UNSUPPORTED, "this model does not encode; it only decodes");
    }
    // Fills images ([N, C, H, W], data range) with the decoder's mean for each code.
    virtual void decode(const TensorView& latents, const std::optional<LabelView>& labels,
                        const MutableTensorView& images) = 0;
    // ABI 1.2: codes that are [c, h, w] feature maps (c * h * w = latent_dim, row-major);
    // nothing for a flat code (the slot is then NULL).
    virtual std::optional<std::array<int64_t, 3>> latent_shape() const { return std::nullopt; }
};

// ---- genhost.likelihood/1 --------------------------------------------------------

struct LikelihoodRequest {
    TensorView images;
    std::optional<LabelView> labels;
    uint32_t num_samples = 1;  // 1 = ELBO, K > 1 = importance-weighted bound
    uint64_t seed = 0;
};

class Likelihood {
public:
    virtual ~Likelihood() = default;
    // Writes a lower bound on log p(x), in nats, for each image into out ([N]).
    virtual void log_likelihood(const LikelihoodRequest& request, const MutableTensorView& out) = 0;
    // GENHOST_LIKELIHOOD_* flags (ABI 1.2): exact rather than a bound, discrete rather
    // than a density. The default: a bound on a density.
    virtual uint32_t likelihood_properties() const { return 0; }
};

// ---- genhost.autoregressive/1 (ABI 1.2) -----------------------------------------

// Values are levels, int64 in [0, num_levels()); positions in raster order
// (y * W + x) * C + c. The host samples, completes and scores; the model gives logits.
class Autoregressive {
public:
    virtual ~Autoregressive() = default;
    virtual int64_t num_levels() const = 0;
    virtual std::array<int64_t, 3> sample_shape() const = 0;  // C, H, W
    virtual int64_t num_classes() const { return 0; }
    // x [N, C, H, W] levels -> out [N, L, C, H, W] logits, causal in raster order.
    virtual void logits(const LabelView& x, const std::optional<LabelView>& labels, const MutableTensorView& out) = 0;
    // Override to compute one position cheaply (out [N, L]); the default runs logits()
    // on the whole image and copies the position out.
    virtual bool has_logits_at() const { return false; }
    virtual void logits_at(const LabelView& /*x*/, const std::optional<LabelView>& /*labels*/, int64_t /*position*/,
                           const MutableTensorView& /*out*/) {
        throw PluginError(GENHOST_ERROR_UNSUPPORTED, "logits_at is not implemented");
    }
};

// ---- genhost.quantizer/1 (ABI 1.2) ----------------------------------------------

// Images to maps of code indices, int64 in [0, codebook_size()), and back (a VQ-VAE).
class Quantizer {
public:
    virtual ~Quantizer() = default;
    virtual int64_t codebook_size() const = 0;
    virtual std::array<int64_t, 3> code_shape() const = 0;  // codebooks, height, width
    // images [N, C, H, W] in the data range -> codes [N, c, h, w], deterministic.
    virtual void encode_codes(const TensorView& images, const MutableCodeView& codes) = 0;
    // codes [N, c, h, w] -> images [N, C, H, W] in the data range; throw on a code outside [0, K).
    virtual void decode_codes(const LabelView& codes, const MutableTensorView& images) = 0;
};

// ---- genhost.translator/1 (ABI 1.4) ---------------------------------------------

enum class TranslateDirection : uint32_t { a_to_b = GENHOST_TRANSLATE_A_TO_B, b_to_a = GENHOST_TRANSLATE_B_TO_A };

// Images of one domain into the other (CycleGAN).
class Translator {
public:
    virtual ~Translator() = default;
    // images [N, C, H, W] in the data range -> out [N, C, H, W] in the data range, deterministic.
    virtual void translate(TranslateDirection direction, const TensorView& images, const MutableTensorView& out) = 0;
};

// ---- genhost.style/1 (ABI 1.4) --------------------------------------------------

// A style-based generator (StyleGAN): the mapping z -> w and the synthesis from one w per
// layer, apart, so the host can mix, truncate and interpolate styles.
class StyleGenerator {
public:
    virtual ~StyleGenerator() = default;
    virtual int64_t z_dim() const = 0;
    virtual int64_t w_dim() const = 0;
    virtual int64_t num_ws() const = 0;  // L, coarsest layer first
    // z [N, z_dim] -> w [N, w_dim], no truncation.
    virtual void map(const TensorView& z, const MutableTensorView& w) = 0;
    // The average w tracked in training, [w_dim].
    virtual void w_avg(const MutableTensorView& out) = 0;
    // ws [N, L, w_dim] -> images [N, C, H, W] in the data range, every image with the
    // same noise maps drawn from noise_seed.
    virtual void synthesize(const TensorView& ws, uint64_t noise_seed, const MutableTensorView& images) = 0;
};

}  // namespace genhost
