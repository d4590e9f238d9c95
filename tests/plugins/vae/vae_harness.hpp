// The VAE plugin as a test sees it: created through the loader from the build's plugin
// folder, driven through its C capabilities, exactly as the host drives it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/instance.hpp"
#include "support/plugin_harness.hpp"

namespace vae_test {

using genhost::testing::Buffer;

struct Data {
    int64_t channels = 1, height = 28, width = 28, num_classes = 0;
    float lo = 0.0f, hi = 1.0f;
};

class Vae {
public:
    Vae(const nlohmann::json& params, const Data& data, uint64_t seed = 0);

    genhost::loader::PluginInstance& instance() { return *instance_; }
    genhost_plugin* raw() { return instance_->raw(); }
    void check(genhost_status status, const std::string& what) { instance_->check(status, what); }
    std::string last_error() { return raw()->last_error(raw()); }

    // Copies each named tensor's values into the parameter of that name; every parameter
    // must be given, with its shape.
    void set_weights(const nlohmann::json& weights);
    std::vector<float> all_weights();

    // Per-image bounds on log p(x): K = 1 the ELBO.
    std::vector<float> log_likelihood(const std::vector<float>& images, const std::vector<int64_t>& labels,
                                      uint32_t k, uint64_t seed);
    // One training step (the gradients of the loss, then Adam); returns loss, recon, kl.
    std::vector<float> train_step(const std::vector<float>& images, const std::vector<int64_t>& labels,
                                  uint64_t step, float lr = 1e-3f);

    Data data;

private:
    std::unique_ptr<genhost::loader::PluginInstance> instance_;
    std::vector<std::vector<float>> adam_m_, adam_v_;
};

// `count` images of the `shapes` dataset, side `size`, and their labels (5 classes).
void shapes(int64_t count, int64_t size, std::vector<float>& images, std::vector<int64_t>& labels);

}  // namespace vae_test
