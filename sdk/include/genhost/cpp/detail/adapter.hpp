// genhost/cpp/detail/adapter.hpp: generates the C tables for a C++ plugin class.
// Not for direct use: see genhost/cpp/plugin.hpp.
#pragma once

#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include <genhost/genhost.h>
#include <genhost/cpp/capabilities.hpp>
#include <genhost/cpp/context.hpp>
#include <genhost/cpp/schema.hpp>

namespace genhost {

struct PluginInfo;

namespace detail {

// Runs `f`, turning any exception into a status and a message. Nothing escapes.
template <class F>
genhost_status guarded(std::string& error, F&& f) noexcept {
    try {
        f();
        return GENHOST_OK;
    } catch (const PluginError& e) {
        error = e.what();
        return e.status() < 0 ? e.status() : GENHOST_ERROR_INTERNAL;
    } catch (const std::invalid_argument& e) {
        error = e.what();
        return GENHOST_ERROR_INVALID_ARGUMENT;
    } catch (const std::out_of_range& e) {
        error = e.what();
        return GENHOST_ERROR_INVALID_ARGUMENT;
    } catch (const std::bad_alloc&) {
        error = "out of memory";
        return GENHOST_ERROR_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        error = std::string("internal error: ") + e.what();
        return GENHOST_ERROR_INTERNAL;
    } catch (...) {
        error = "internal error: unknown exception";
        return GENHOST_ERROR_INTERNAL;
    }
}

// The C descriptor of plugin class T, built once from T::info() and kept for the
// library's lifetime.
struct DescriptorStore {
    std::string id, name, version, vendor, description, schema;
    std::vector<std::string> feature_strings;
    std::vector<const char*> features;
    nlohmann::json schema_json;
    genhost_plugin_descriptor descriptor{};
};

template <class T>
const DescriptorStore* descriptor_store() noexcept;

// One live instance: the C struct the host holds, and the C++ object behind it.
template <class T>
struct Instance {
    genhost_plugin base{};
    std::unique_ptr<T> object;
    std::string last_error;

    // genhost.trainable/1: C views of the parameters and phases, made once.
    std::vector<Parameter> parameters;
    std::vector<DLTensor> values, grads;
    std::vector<genhost_parameter> c_parameters;
    std::vector<Phase> phases;
    std::vector<std::vector<const char*>> loss_names;
    std::vector<genhost_phase> c_phases;
    // genhost.metric/1
    std::vector<std::string> value_names;
};

template <class T>
Instance<T>& self(const genhost_plugin* p) {
    return *static_cast<Instance<T>*>(p->plugin_data);
}

template <class T>
void prepare_trainable(Instance<T>& in) {
    in.parameters = in.object->parameters();
    in.values.resize(in.parameters.size());
    in.grads.resize(in.parameters.size());
    for (size_t i = 0; i < in.parameters.size(); ++i) {
        Parameter& p = in.parameters[i];
        if (!p.value) throw std::invalid_argument("parameter '" + p.name + "' has no value storage");
        if (!p.buffer && !p.grad) throw std::invalid_argument("parameter '" + p.name + "' has no gradient storage");
        in.values[i] = make_dltensor(p.value, p.shape);
        in.grads[i] = make_dltensor(p.grad, p.shape);
    }
    for (size_t i = 0; i < in.parameters.size(); ++i) {
        const Parameter& p = in.parameters[i];
        uint32_t flags = p.buffer ? uint32_t(GENHOST_PARAMETER_BUFFER) : 0u;
        if (p.reduce == Parameter::Reduce::mean) flags |= GENHOST_PARAMETER_REDUCE_MEAN;
        if (p.reduce == Parameter::Reduce::sum) flags |= GENHOST_PARAMETER_REDUCE_SUM;
        in.c_parameters.push_back({sizeof(genhost_parameter), flags, p.name.c_str(), p.group.c_str(), &in.values[i],
                                   p.buffer ? nullptr : &in.grads[i]});
    }
    in.phases = in.object->phases();
    if (in.phases.empty()) throw std::invalid_argument("a trainable plugin needs at least one phase");
    for (const Phase& ph : in.phases) {
        if (ph.losses.empty()) throw std::invalid_argument("phase '" + ph.name + "' names no loss");
        std::vector<const char*> names;
        for (const auto& l : ph.losses) names.push_back(l.c_str());
        names.push_back(nullptr);
        in.loss_names.push_back(std::move(names));
    }
    for (size_t i = 0; i < in.phases.size(); ++i)
        in.c_phases.push_back({sizeof(genhost_phase), in.phases[i].name.c_str(), in.phases[i].group.c_str(),
                               in.loss_names[i].data(),
                               in.phases[i].uses_data ? 0u : uint32_t(GENHOST_PHASE_NO_DATA)});
}

// A struct from the host must at least have every field of ABI 1.0: `needed` bytes.
inline void require_v1_0(uint32_t struct_size, size_t needed, const char* type) {
    if (struct_size < needed)
        throw std::invalid_argument(std::string(type) + ": struct_size " + std::to_string(struct_size) +
                                    ", smaller than ABI 1.0's " + std::to_string(needed));
}

inline std::optional<LabelView> optional_labels(const DLTensor* t) {
    if (!t) return std::nullopt;
    return LabelView(t, "labels");
}

// The per-sample seeds of an ABI 1.1 request ([n] uint64), or none.
inline std::optional<SeedView> optional_seeds(const DLTensor* t, int64_t n) {
    if (!t) return std::nullopt;
    SeedView seeds(t, "seeds");
    seeds.expect_shape({n}, "seeds (one per sample)");
    return seeds;
}

// ---- extension tables --------------------------------------------------------------

template <class T>
struct TrainableTable {
    static uint32_t parameter_count(const genhost_plugin* p) {
        return static_cast<uint32_t>(self<T>(p).c_parameters.size());
    }
    static const genhost_parameter* get_parameter(const genhost_plugin* p, uint32_t i) {
        auto& in = self<T>(p);
        return i < in.c_parameters.size() ? &in.c_parameters[i] : nullptr;
    }
    static uint32_t phase_count(const genhost_plugin* p) { return static_cast<uint32_t>(self<T>(p).c_phases.size()); }
    static const genhost_phase* get_phase(const genhost_plugin* p, uint32_t i) {
        auto& in = self<T>(p);
        return i < in.c_phases.size() ? &in.c_phases[i] : nullptr;
    }
    static genhost_status train_phase(genhost_plugin* p, uint32_t phase, const genhost_batch* batch, float* losses) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (phase >= in.phases.size()) throw std::invalid_argument("no phase " + std::to_string(phase));
            if (!batch || !losses) throw std::invalid_argument("train_phase: batch and losses are required");
            require_v1_0(batch->struct_size, GENHOST_STRUCT_SIZE_THROUGH(genhost_batch, GENHOST_BATCH_V1_0_LAST),
                         "genhost_batch");
            // A phase without data gets no images from a 1.2 host: an empty view stands in.
            static const int64_t empty_shape[1] = {0};
            static const DLTensor empty = {nullptr, {kDLCPU, 0}, 1, {kDLFloat, 32, 1},
                                           const_cast<int64_t*>(empty_shape), nullptr, 0};
            const bool has_images = batch->images != nullptr || in.phases[phase].uses_data;
            TensorView images(has_images ? batch->images : &empty, "batch images");
            int64_t size = GENHOST_STRUCT_HAS(batch, genhost_batch, size) ? batch->size : 0;
            if (size <= 0 && has_images && images.ndim() > 0) size = images.dim(0);
            const DLTensor* seeds = GENHOST_STRUCT_HAS(batch, genhost_batch, seeds) ? batch->seeds : nullptr;
            Batch b{images, optional_labels(batch->labels), batch->step, batch->seed, size, optional_seeds(seeds, size),
                    std::nullopt, std::nullopt};
            if (GENHOST_STRUCT_HAS(batch, genhost_batch, labels_b)) {
                if (batch->images_b) b.images_b.emplace(batch->images_b, "batch images_b");
                b.labels_b = optional_labels(batch->labels_b);
            }
            in.object->train_phase(phase, b, losses);
        });
    }
    static genhost_status after_update(genhost_plugin* p, uint32_t phase) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] { in.object->after_update(phase); });
    }
    static const genhost_trainable* table() {
        static const genhost_trainable t = {sizeof(genhost_trainable), parameter_count, get_parameter,
                                            phase_count, get_phase, train_phase, after_update};
        return &t;
    }
};

// sample_shape and num_classes, shared by the generator and denoiser tables. `Cap` picks
// the capability, so a class that is both has no ambiguity.
template <class T, class Cap>
genhost_status sample_shape_of(const genhost_plugin* p, int64_t out[3]) {
    auto& in = self<T>(p);
    return guarded(in.last_error, [&] {
        auto s = static_cast<const Cap&>(*in.object).sample_shape();
        out[0] = s[0], out[1] = s[1], out[2] = s[2];
    });
}

template <class T, class Cap>
int64_t num_classes_of(const genhost_plugin* p) {
    int64_t n = 0;
    auto& in = self<T>(p);
    guarded(in.last_error, [&] { n = static_cast<const Cap&>(*in.object).num_classes(); });
    return n;
}

template <class T>
struct GeneratorTable {
    static constexpr auto sample_shape = &sample_shape_of<T, Generator>;
    static constexpr auto num_classes = &num_classes_of<T, Generator>;
    static genhost_status generate(genhost_plugin* p, const genhost_sample_request* r, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (!r) throw std::invalid_argument("generate: request is required");
            require_v1_0(r->struct_size, GENHOST_STRUCT_SIZE_THROUGH(genhost_sample_request, GENHOST_SAMPLE_REQUEST_V1_0_LAST),
                         "genhost_sample_request");
            MutableTensorView samples(out, "samples");
            const DLTensor* seeds = GENHOST_STRUCT_HAS(r, genhost_sample_request, seeds) ? r->seeds : nullptr;
            const int64_t n = samples.ndim() > 0 ? samples.dim(0) : 0;
            in.object->generate(SampleRequest{r->seed, optional_labels(r->labels), optional_seeds(seeds, n)}, samples);
        });
    }
    static const genhost_generator* table() {
        static const genhost_generator t = {sizeof(genhost_generator), sample_shape, num_classes, generate};
        return &t;
    }
};

template <class T>
struct DenoiserTable {
    static constexpr auto sample_shape = &sample_shape_of<T, Denoiser>;
    static constexpr auto num_classes = &num_classes_of<T, Denoiser>;
    static const char* prediction_type(const genhost_plugin* p) {
        const char* type = nullptr;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { type = in.object->prediction_type(); });
        return type;  // NULL on failure
    }
    static genhost_status set_noise_schedule(genhost_plugin* p, const float* a, uint32_t n) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (!a || n == 0) throw std::invalid_argument("set_noise_schedule: empty schedule");
            in.object->set_noise_schedule(std::vector<float>(a, a + n));
        });
    }
    static genhost_status predict(genhost_plugin* p, const genhost_denoise_request* r, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (!r) throw std::invalid_argument("predict: request is required");
            require_v1_0(r->struct_size, GENHOST_STRUCT_SIZE_THROUGH(genhost_denoise_request, GENHOST_DENOISE_REQUEST_V1_0_LAST),
                         "genhost_denoise_request");
            DenoiseRequest req{TensorView(r->sample, "sample"), TensorView(r->timesteps, "timesteps"),
                               optional_labels(r->labels)};
            in.object->predict(req, MutableTensorView(out, "prediction"));
        });
    }
    static const genhost_denoiser* table() {
        static const genhost_denoiser t = {sizeof(genhost_denoiser), sample_shape, num_classes, prediction_type,
                                           set_noise_schedule, predict};
        return &t;
    }
};

template <class T>
struct SchedulerTable {
    static uint32_t num_train_timesteps(const genhost_plugin* p) {
        uint32_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = static_cast<uint32_t>(in.object->alphas_cumprod().size()); });
        return n;
    }
    static genhost_status get_alphas_cumprod(const genhost_plugin* p, float* out, uint32_t count) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            auto a = in.object->alphas_cumprod();
            if (count != a.size())
                throw std::invalid_argument("get_alphas_cumprod: count is " + std::to_string(count) +
                                            ", the schedule has " + std::to_string(a.size()));
            std::copy(a.begin(), a.end(), out);
        });
    }
    static genhost_status set_timesteps(genhost_plugin* p, uint32_t n) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] { in.object->set_timesteps(n); });
    }
    static uint32_t timestep_count(const genhost_plugin* p) {
        uint32_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = static_cast<uint32_t>(in.object->timesteps().size()); });
        return n;
    }
    static genhost_status get_timesteps(const genhost_plugin* p, float* out, uint32_t count) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            auto t = in.object->timesteps();
            if (count != t.size())
                throw std::invalid_argument("get_timesteps: count is " + std::to_string(count) + ", the run has " +
                                            std::to_string(t.size()));
            std::copy(t.begin(), t.end(), out);
        });
    }
    static float init_noise_sigma(const genhost_plugin* p) {
        float sigma = std::numeric_limits<float>::quiet_NaN();  // NaN on failure
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { sigma = in.object->init_noise_sigma(); });
        return sigma;
    }
    static genhost_status scale_model_input(genhost_plugin* p, uint32_t i, const DLTensor* sample, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->scale_model_input(i, TensorView(sample, "sample"), MutableTensorView(out, "model input"));
        });
    }
    static genhost_status step(genhost_plugin* p, const genhost_scheduler_step* a, DLTensor* prev) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (!a) throw std::invalid_argument("step: arguments are required");
            require_v1_0(a->struct_size, GENHOST_STRUCT_SIZE_THROUGH(genhost_scheduler_step, GENHOST_SCHEDULER_STEP_V1_0_LAST),
                         "genhost_scheduler_step");
            TensorView sample(a->sample, "sample");
            const DLTensor* seeds = GENHOST_STRUCT_HAS(a, genhost_scheduler_step, seeds) ? a->seeds : nullptr;
            SchedulerStep s{a->step_index, TensorView(a->model_output, "model_output"), sample, a->seed,
                            optional_seeds(seeds, sample.ndim() > 0 ? sample.dim(0) : 0)};
            in.object->step(s, MutableTensorView(prev, "prev_sample"));
        });
    }
    static const genhost_scheduler* table() {
        static const genhost_scheduler t = {sizeof(genhost_scheduler), num_train_timesteps, get_alphas_cumprod,
                                            set_timesteps, timestep_count, get_timesteps, init_noise_sigma,
                                            scale_model_input, step};
        return &t;
    }
};

template <class T>
struct MetricTable {
    static uint32_t value_count(const genhost_plugin* p) { return static_cast<uint32_t>(self<T>(p).value_names.size()); }
    static const char* value_name(const genhost_plugin* p, uint32_t i) {
        auto& in = self<T>(p);
        return i < in.value_names.size() ? in.value_names[i].c_str() : nullptr;
    }
    static genhost_status reset(genhost_plugin* p) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] { in.object->reset(); });
    }
    static genhost_status update(genhost_plugin* p, uint32_t set, const DLTensor* images) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] { in.object->update(set, TensorView(images, "images")); });
    }
    static genhost_status compute(genhost_plugin* p, double* values) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            auto v = in.object->compute();
            if (v.size() != in.value_names.size())
                throw std::logic_error("compute returned " + std::to_string(v.size()) + " values for " +
                                       std::to_string(in.value_names.size()) + " names");
            std::copy(v.begin(), v.end(), values);
        });
    }
    static genhost_status update_features(genhost_plugin* p, uint32_t set, const DLTensor* features,
                                          const DLTensor* probabilities) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if constexpr (std::is_base_of_v<FeatureMetric, T>) {
                std::optional<TensorView> probs;
                if (probabilities) probs.emplace(probabilities, "probabilities");
                in.object->update_features(set, TensorView(features, "features"), probs);
            }
        });
    }
    static const genhost_metric* table() {
        // Only a FeatureMetric has the 1.2 slot; the host gives the others pixels.
        static const genhost_metric t = {sizeof(genhost_metric), value_count, value_name, reset, update, compute,
                                         std::is_base_of_v<FeatureMetric, T> ? update_features : nullptr};
        return &t;
    }
};

template <class T>
struct EmbedderTable {
    static int64_t feature_dim(const genhost_plugin* p) {
        int64_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = in.object->feature_dim(); });
        return n;
    }
    static int64_t num_classes(const genhost_plugin* p) {
        int64_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = in.object->embedding_classes(); });
        return n;
    }
    static genhost_status embed(genhost_plugin* p, const DLTensor* images, DLTensor* features, DLTensor* probabilities) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            TensorView x(images, "images");
            MutableTensorView f(features, "features");
            f.expect_shape({x.ndim() > 0 ? x.dim(0) : -1, in.object->feature_dim()}, "features [N, D]");
            std::optional<MutableTensorView> probs;
            if (probabilities) {
                probs.emplace(probabilities, "probabilities");
                probs->expect_shape({x.ndim() > 0 ? x.dim(0) : -1, in.object->embedding_classes()},
                                    "probabilities [N, K]");
            }
            in.object->embed(x, f, probs);
        });
    }
    static const genhost_embedder* table() {
        static const genhost_embedder t = {sizeof(genhost_embedder), feature_dim, num_classes, embed};
        return &t;
    }
};

template <class T>
struct TranslatorTable {
    static genhost_status translate(genhost_plugin* p, uint32_t direction, const DLTensor* images, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (direction != GENHOST_TRANSLATE_A_TO_B && direction != GENHOST_TRANSLATE_B_TO_A)
                throw std::invalid_argument("translate: direction " + std::to_string(direction) +
                                            " is neither GENHOST_TRANSLATE_A_TO_B (0) nor GENHOST_TRANSLATE_B_TO_A (1)");
            TensorView x(images, "images");
            MutableTensorView y(out, "out");
            if (x.ndim() != 4) throw std::invalid_argument("translate: images must be [N, C, H, W]");
            y.expect_shape({x.dim(0), x.dim(1), x.dim(2), x.dim(3)}, "out (the images' shape)");
            in.object->translate(static_cast<TranslateDirection>(direction), x, y);
        });
    }
    static const genhost_translator* table() {
        static const genhost_translator t = {sizeof(genhost_translator), translate};
        return &t;
    }
};

template <class T>
struct LatentTable {
    static int64_t latent_dim(const genhost_plugin* p) {
        int64_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = in.object->latent_dim(); });
        return n;
    }
    static genhost_status encode(genhost_plugin* p, const DLTensor* images, const DLTensor* labels, DLTensor* mean,
                                 DLTensor* logvar) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->encode(TensorView(images, "images"), optional_labels(labels), MutableTensorView(mean, "mean"),
                              MutableTensorView(logvar, "logvar"));
        });
    }
    static genhost_status decode(genhost_plugin* p, const DLTensor* latents, const DLTensor* labels, DLTensor* images) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->decode(TensorView(latents, "latents"), optional_labels(labels), MutableTensorView(images, "images"));
        });
    }
    static genhost_status latent_shape(const genhost_plugin* p, int64_t out[3]) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            const auto s = in.object->latent_shape();
            if (!s) throw PluginError(GENHOST_ERROR_UNSUPPORTED, "the code is a flat vector");
            out[0] = (*s)[0], out[1] = (*s)[1], out[2] = (*s)[2];
        });
    }
    static const genhost_latent* table(const T& object) {
        static const genhost_latent spatial = {sizeof(genhost_latent), latent_dim, encode, decode, latent_shape};
        static const genhost_latent flat = {sizeof(genhost_latent), latent_dim, encode, decode, nullptr};
        return object.latent_shape() ? &spatial : &flat;
    }
};

template <class T>
struct LikelihoodTable {
    static genhost_status log_likelihood(genhost_plugin* p, const genhost_likelihood_request* r, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            if (!r) throw std::invalid_argument("log_likelihood: request is required");
            require_v1_0(r->struct_size, GENHOST_STRUCT_SIZE_THROUGH(genhost_likelihood_request, GENHOST_LIKELIHOOD_REQUEST_V1_0_LAST),
                         "genhost_likelihood_request");
            if (r->num_samples < 1) throw std::invalid_argument("log_likelihood: num_samples must be >= 1");
            in.object->log_likelihood(LikelihoodRequest{TensorView(r->images, "images"), optional_labels(r->labels),
                                                        r->num_samples, r->seed},
                                      MutableTensorView(out, "log-likelihoods"));
        });
    }
    static uint32_t properties(const genhost_plugin* p) {
        uint32_t flags = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { flags = in.object->likelihood_properties(); });
        return flags;
    }
    static const genhost_likelihood* table() {
        static const genhost_likelihood t = {sizeof(genhost_likelihood), log_likelihood, properties};
        return &t;
    }
};

template <class T>
struct AutoregressiveTable {
    static int64_t num_levels(const genhost_plugin* p) {
        int64_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = in.object->num_levels(); });
        return n;
    }
    static constexpr auto sample_shape = &sample_shape_of<T, Autoregressive>;
    static constexpr auto num_classes = &num_classes_of<T, Autoregressive>;
    static genhost_status logits(genhost_plugin* p, const DLTensor* x, const DLTensor* labels, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->logits(LabelView(x, "x"), optional_labels(labels), MutableTensorView(out, "logits"));
        });
    }
    static genhost_status logits_at(genhost_plugin* p, const DLTensor* x, const DLTensor* labels, int64_t position,
                                    DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->logits_at(LabelView(x, "x"), optional_labels(labels), position, MutableTensorView(out, "logits"));
        });
    }
    static const genhost_autoregressive* table(const T& object) {
        static const genhost_autoregressive with = {sizeof(genhost_autoregressive), num_levels, sample_shape,
                                                    num_classes, logits, logits_at};
        static const genhost_autoregressive without = {sizeof(genhost_autoregressive), num_levels, sample_shape,
                                                       num_classes, logits, nullptr};
        return object.has_logits_at() ? &with : &without;
    }
};

template <class T>
struct QuantizerTable {
    static int64_t codebook_size(const genhost_plugin* p) {
        int64_t k = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { k = in.object->codebook_size(); });
        return k;
    }
    static genhost_status code_shape(const genhost_plugin* p, int64_t out[3]) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            auto s = in.object->code_shape();
            out[0] = s[0], out[1] = s[1], out[2] = s[2];
        });
    }
    static genhost_status encode_codes(genhost_plugin* p, const DLTensor* images, DLTensor* codes) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->encode_codes(TensorView(images, "images"), MutableCodeView(codes, "codes"));
        });
    }
    static genhost_status decode_codes(genhost_plugin* p, const DLTensor* codes, DLTensor* images) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->decode_codes(LabelView(codes, "codes"), MutableTensorView(images, "images"));
        });
    }
    static const genhost_quantizer* table() {
        static const genhost_quantizer t = {sizeof(genhost_quantizer), codebook_size, code_shape, encode_codes,
                                            decode_codes};
        return &t;
    }
};

template <class T>
struct StyleTable {
    static int64_t size_of(const genhost_plugin* p, int64_t (StyleGenerator::*get)() const) {
        int64_t n = 0;
        auto& in = self<T>(p);
        guarded(in.last_error, [&] { n = ((*in.object).*get)(); });
        return n;
    }
    static int64_t z_dim(const genhost_plugin* p) { return size_of(p, &StyleGenerator::z_dim); }
    static int64_t w_dim(const genhost_plugin* p) { return size_of(p, &StyleGenerator::w_dim); }
    static int64_t num_ws(const genhost_plugin* p) { return size_of(p, &StyleGenerator::num_ws); }
    static genhost_status map(genhost_plugin* p, const DLTensor* z, DLTensor* w) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] { in.object->map(TensorView(z, "z"), MutableTensorView(w, "w")); });
    }
    static genhost_status w_avg(genhost_plugin* p, DLTensor* out) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] { in.object->w_avg(MutableTensorView(out, "w_avg")); });
    }
    static genhost_status synthesize(genhost_plugin* p, const DLTensor* ws, uint64_t noise_seed, DLTensor* images) {
        auto& in = self<T>(p);
        return guarded(in.last_error, [&] {
            in.object->synthesize(TensorView(ws, "ws"), noise_seed, MutableTensorView(images, "images"));
        });
    }
    static const genhost_style* table() {
        static const genhost_style t = {sizeof(genhost_style), z_dim, w_dim, num_ws, map, w_avg, synthesize};
        return &t;
    }
};

// ---- the instance's own slots ------------------------------------------------------

template <class T>
void destroy(genhost_plugin* p) {
    delete &self<T>(p);
}

template <class T>
const void* get_extension(const genhost_plugin* plugin, const char* id) {
    (void)plugin;  // only the autoregressive and latent tables depend on the instance
    if (!id) return nullptr;
    if constexpr (std::is_base_of_v<Trainable, T>)
        if (std::strcmp(id, GENHOST_EXT_TRAINABLE) == 0) return TrainableTable<T>::table();
    if constexpr (std::is_base_of_v<Generator, T>)
        if (std::strcmp(id, GENHOST_EXT_GENERATOR) == 0) return GeneratorTable<T>::table();
    if constexpr (std::is_base_of_v<Denoiser, T>)
        if (std::strcmp(id, GENHOST_EXT_DENOISER) == 0) return DenoiserTable<T>::table();
    if constexpr (std::is_base_of_v<Scheduler, T>)
        if (std::strcmp(id, GENHOST_EXT_SCHEDULER) == 0) return SchedulerTable<T>::table();
    if constexpr (std::is_base_of_v<Metric, T>)
        if (std::strcmp(id, GENHOST_EXT_METRIC) == 0) return MetricTable<T>::table();
    if constexpr (std::is_base_of_v<Latent, T>)
        if (std::strcmp(id, GENHOST_EXT_LATENT) == 0) return LatentTable<T>::table(*self<T>(plugin).object);
    if constexpr (std::is_base_of_v<Likelihood, T>)
        if (std::strcmp(id, GENHOST_EXT_LIKELIHOOD) == 0) return LikelihoodTable<T>::table();
    if constexpr (std::is_base_of_v<Embedder, T>)
        if (std::strcmp(id, GENHOST_EXT_EMBEDDER) == 0) return EmbedderTable<T>::table();
    if constexpr (std::is_base_of_v<Autoregressive, T>)
        if (std::strcmp(id, GENHOST_EXT_AUTOREGRESSIVE) == 0) return AutoregressiveTable<T>::table(*self<T>(plugin).object);
    if constexpr (std::is_base_of_v<Quantizer, T>)
        if (std::strcmp(id, GENHOST_EXT_QUANTIZER) == 0) return QuantizerTable<T>::table();
    if constexpr (std::is_base_of_v<Translator, T>)
        if (std::strcmp(id, GENHOST_EXT_TRANSLATOR) == 0) return TranslatorTable<T>::table();
    if constexpr (std::is_base_of_v<StyleGenerator, T>)
        if (std::strcmp(id, GENHOST_EXT_STYLE) == 0) return StyleTable<T>::table();
    return nullptr;
}

template <class T>
const char* last_error(const genhost_plugin* p) {
    return self<T>(p).last_error.c_str();
}

inline void copy_error(const std::string& message, char* error, size_t capacity) {
    if (error && capacity > 0) std::snprintf(error, capacity, "%s", message.c_str());
}

inline DataInfo data_info(const genhost_data_info* d) {
    DataInfo info;
    if (!d || !GENHOST_STRUCT_HAS(d, genhost_data_info, GENHOST_DATA_INFO_V1_0_LAST)) return info;
    info.known = true;
    info.channels = d->channels, info.height = d->height, info.width = d->width;
    info.num_classes = d->num_classes;
    info.range_min = d->range_min, info.range_max = d->range_max;
    if (GENHOST_STRUCT_HAS(d, genhost_data_info, domains) && d->domains > 1) info.domains = d->domains;
    return info;
}

template <class T>
genhost_status create(const genhost_host* host, const char* params_json, const genhost_data_info* data,
                      genhost_plugin** out, char* error, size_t capacity) noexcept {
    std::string message;
    auto instance = std::unique_ptr<Instance<T>>();
    genhost_status status = guarded(message, [&] {
        if (!host || !GENHOST_STRUCT_HAS(host, genhost_host, GENHOST_HOST_V1_0_LAST) || !host->log || !host->get_service)
            throw std::invalid_argument("the host struct is missing or incomplete");
        const DescriptorStore* store = descriptor_store<T>();
        if (!store) throw std::logic_error("the plugin's descriptor could not be built");
        nlohmann::json params = nlohmann::json::object();
        if (params_json && *params_json) {
            try {
                params = nlohmann::json::parse(params_json);
            } catch (const nlohmann::json::exception& e) {
                throw std::invalid_argument(std::string("params are not valid JSON: ") + e.what());
            }
        }
        std::vector<schema::Issue> issues;
        schema::validate(params, store->schema_json, issues);
        if (!issues.empty()) throw std::invalid_argument("invalid params:\n" + schema::format(issues));

        instance = std::make_unique<Instance<T>>();
        instance->object = std::make_unique<T>(Context{Host(host), Params(std::move(params)), data_info(data)});
        if constexpr (std::is_base_of_v<Trainable, T>) prepare_trainable(*instance);
        if constexpr (std::is_base_of_v<Metric, T>) instance->value_names = instance->object->value_names();
        instance->base = genhost_plugin{sizeof(genhost_plugin), &store->descriptor, instance.get(),
                                        &detail::destroy<T>, &detail::get_extension<T>, &detail::last_error<T>};
    });
    if (status != GENHOST_OK) {
        copy_error(message, error, capacity);
        *out = nullptr;
        return status;
    }
    *out = &instance.release()->base;
    return GENHOST_OK;
}

// ---- the library: its factory over the plugin classes Ts... ------------------------

template <class... Ts>
struct Library {
    static uint32_t plugin_count(const genhost_plugin_factory*) { return sizeof...(Ts); }

    static const genhost_plugin_descriptor* get_descriptor(const genhost_plugin_factory*, uint32_t index) {
        const DescriptorStore* stores[] = {descriptor_store<Ts>()...};
        return index < sizeof...(Ts) && stores[index] ? &stores[index]->descriptor : nullptr;
    }

    static genhost_status create(const genhost_plugin_factory*, const genhost_host* host, const char* id,
                                 const char* params, const genhost_data_info* data, genhost_plugin** out,
                                 char* error, size_t capacity) {
        if (!out) return GENHOST_ERROR_INVALID_ARGUMENT;
        *out = nullptr;
        using CreateFn = genhost_status (*)(const genhost_host*, const char*, const genhost_data_info*,
                                            genhost_plugin**, char*, size_t);
        const DescriptorStore* stores[] = {descriptor_store<Ts>()...};
        CreateFn creators[] = {&detail::create<Ts>...};
        for (size_t i = 0; i < sizeof...(Ts); ++i)
            if (id && stores[i] && stores[i]->id == id) return creators[i](host, params, data, out, error, capacity);
        copy_error(std::string("this library has no plugin '") + (id ? id : "(null)") + "'", error, capacity);
        return GENHOST_ERROR_INVALID_ARGUMENT;
    }

    static const void* get_factory(const char* id) {
        static const genhost_plugin_factory factory = {sizeof(genhost_plugin_factory), plugin_count,
                                                       get_descriptor, create};
        return id && std::strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &factory : nullptr;
    }
};

}  // namespace detail
}  // namespace genhost
