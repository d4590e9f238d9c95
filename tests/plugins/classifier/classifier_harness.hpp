// The classifier plugin as a test sees it: created through the loader from the build's
// plugin folder, driven through its C capabilities, exactly as the host drives it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/instance.hpp"
#include "support/plugin_harness.hpp"

namespace classifier_test {

using genhost::testing::Buffer;

struct Data {
    int64_t channels = 1, height = 28, width = 28, num_classes = 10;
    float lo = 0.0f, hi = 1.0f;
};

// The plugin's parameters by name: values and the gradients of the last train_step.
struct Named {
    std::vector<int64_t> shape;
    std::vector<float> values, grads;
};

class Classifier {
public:
    // Throws genhost::Error when the plugin refuses to be created.
    Classifier(const nlohmann::json& params, const Data& data, uint64_t seed = 0, uint32_t threads = 1);

    genhost::loader::PluginInstance& instance() { return *instance_; }
    genhost_plugin* raw() { return instance_->raw(); }

    // Copies each named tensor's values into the parameter of that name; every parameter
    // must be given, with its shape.
    void set_weights(const nlohmann::json& weights);
    std::vector<std::pair<std::string, Named>> parameters();

    // features [N, D] and, when `probabilities` is not NULL, softmax [N, K].
    std::vector<float> embed(const std::vector<float>& images, std::vector<float>* probabilities = nullptr);
    // One training step (zeroed grads, the gradients of the loss, then Adam with `lr`; 0 =
    // no update); returns loss and accuracy.
    std::vector<float> train_step(const std::vector<float>& images, const std::vector<int64_t>& labels,
                                  uint64_t step, float lr = 1e-3f);

    Data data;

private:
    int64_t count(const std::vector<float>& images) const;

    std::unique_ptr<genhost::loader::PluginInstance> instance_;
    std::vector<std::vector<float>> adam_m_, adam_v_;
};

// `count` images of the `shapes` dataset, side `size`, and their labels (5 classes);
// `seed` chooses the draw, so two seeds give a training and a test set.
void shapes(int64_t count, int64_t size, uint64_t seed, std::vector<float>& images, std::vector<int64_t>& labels);

}  // namespace classifier_test
