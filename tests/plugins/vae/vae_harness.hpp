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

namespace vae_test {

// Owns a tensor's storage and shape and describes them as a DLTensor.
template <class T>
struct Buffer {
    std::vector<T> values;
    std::vector<int64_t> shape;
    DLTensor tensor{};

    explicit Buffer(std::vector<int64_t> s, std::vector<T> v = {}) : values(std::move(v)), shape(std::move(s)) {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        if (values.empty()) values.assign(static_cast<size_t>(n), T{});
        tensor.data = values.data();
        tensor.device = {kDLCPU, 0};
        tensor.ndim = static_cast<int32_t>(shape.size());
        tensor.dtype = std::is_same_v<T, float> ? DLDataType{kDLFloat, 32, 1} : DLDataType{kDLInt, 64, 1};
        tensor.shape = shape.data();
    }
    Buffer(const Buffer&) = delete;
    DLTensor* get() { return &tensor; }
};

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
