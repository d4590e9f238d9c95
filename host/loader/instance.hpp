// A live plugin instance, and the host services it was given.
//
// Keeps its library loaded until destroyed. Capabilities are fetched by id and their
// required slots checked on first use, so a broken plugin fails with a message that
// names the plugin and the slot instead of crashing later.
#pragma once

#include <array>
#include <optional>
#include <functional>
#include <vector>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <genhost/genhost.h>

#include "loader/registry.hpp"

namespace genhost::loader {

struct HostServices {
    uint64_t seed = 0;
    uint32_t num_threads = 1;
    // Receives the plugin's log messages; default: stderr, prefixed with the plugin id.
    std::function<void(const std::string& plugin_id, int32_t level, const std::string& message)> log;
};

class PluginInstance {
public:
    // Creates `plugin` with `params` (already validated). Throws genhost::Error.
    static std::unique_ptr<PluginInstance> create(const RegisteredPlugin& plugin, const nlohmann::json& params,
                                                  const genhost_data_info* data, HostServices services);
    ~PluginInstance();
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    genhost_plugin* raw() const { return plugin_; }
    const PluginDescription& description() const { return *plugin_info_.description; }
    const std::string& id() const { return plugin_info_.description->id; }

    // The capability tables, or nullptr when the plugin does not have one.
    // Throws genhost::Error when a table has a NULL required slot.
    const genhost_trainable* trainable() const;
    const genhost_generator* generator() const;
    const genhost_denoiser* denoiser() const;
    const genhost_scheduler* scheduler() const;
    const genhost_metric* metric() const;
    const genhost_latent* latent() const;          // encode may be NULL
    const genhost_likelihood* likelihood() const;
    const genhost_embedder* embedder() const;      // ABI 1.2
    const genhost_autoregressive* autoregressive() const;  // ABI 1.2; logits_at may be NULL
    const genhost_quantizer* quantizer() const;    // ABI 1.2
    const genhost_translator* translator() const;  // ABI 1.4
    const genhost_style* style() const;            // ABI 1.4
    // GENHOST_LIKELIHOOD_* flags of the likelihood extension (0 when it cannot say).
    uint32_t likelihood_properties() const;
    // The metric's update_features slot (ABI 1.2), or nullptr: then it takes pixels.
    static auto update_features(const genhost_metric* m) {
        return GENHOST_STRUCT_HAS(m, genhost_metric, update_features) ? m->update_features : nullptr;
    }

    // Throws "<plugin id>: <what> failed (<status>): <the plugin's message>" when status < 0.
    void check(genhost_status status, const std::string& what) const;

    // Value-returning calls, checked: a plugin's 0, NULL, NaN or absurd answer becomes an
    // error naming the plugin and the call, never a crash later.
    std::array<int64_t, 3> sample_shape() const;  // generator, autoregressive or denoiser; each in [1, 65536]
    int64_t latent_dim() const;                   // >= 1
    // latent: the [c, h, w] shape of a code (ABI 1.2 latent_shape; c*h*w = latent_dim), or
    // nothing for a flat code (a 1.0/1.1 plugin, or the slot NULL).
    std::optional<std::array<int64_t, 3>> latent_shape() const;
    int64_t codebook_size() const;                // quantizer; in [2, 2^24]
    std::array<int64_t, 3> code_shape() const;    // quantizer; each in [1, 65536]
    struct StyleDims { int64_t z_dim, w_dim, num_ws; };
    StyleDims style_dims() const;                 // style; z_dim, w_dim in [1, 2^16], num_ws in [1, 64]
    int64_t feature_dim() const;                  // embedder; in [1, 2^24]
    int64_t embedding_classes() const;            // embedder; in [0, 2^24]
    std::string prediction_type() const;          // epsilon, v_prediction or sample
    float init_noise_sigma() const;               // finite, > 0
    std::vector<float> timesteps() const;         // of the current run; not empty
    std::vector<float> alphas_cumprod() const;    // the scheduler's training schedule

private:
    PluginInstance() = default;
    const void* extension(const char* id) const;

    RegisteredPlugin plugin_info_;  // holds the library
    HostServices services_;
    genhost_host host_{};
    genhost_plugin* plugin_ = nullptr;
};

const char* status_name(genhost_status status);

}  // namespace genhost::loader
