#include "classifier_harness.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "data/options.hpp"
#include "data/shapes.hpp"
#include "loader/registry.hpp"

namespace classifier_test {

using genhost::testing::numel;

const genhost::loader::PluginRegistry& registry() { return genhost::testing::built_plugins(); }

Classifier::Classifier(const nlohmann::json& params, const Data& d, uint64_t seed, uint32_t threads) : data(d) {
    genhost_data_info info{sizeof(genhost_data_info), d.channels, d.height, d.width, d.num_classes, d.lo, d.hi};
    genhost::loader::HostServices services;
    services.seed = seed;
    services.num_threads = threads;
    instance_ = genhost::loader::PluginInstance::create(registry().find("classifier"), params, &info, services);
}

void Classifier::set_weights(const nlohmann::json& weights) {
    const genhost_trainable* t = instance_->trainable();
    const uint32_t n = t->parameter_count(raw());
    if (n != weights.size())
        throw std::runtime_error("the plugin has " + std::to_string(n) + " parameters, the fixture " +
                                 std::to_string(weights.size()));
    for (uint32_t i = 0; i < n; ++i) {
        const genhost_parameter* p = t->get_parameter(raw(), i);
        if (!weights.contains(p->name)) throw std::runtime_error(std::string("the fixture lacks ") + p->name);
        const auto& w = weights[p->name];
        std::vector<int64_t> shape(p->value->shape, p->value->shape + p->value->ndim);
        if (shape != w["shape"].get<std::vector<int64_t>>())
            throw std::runtime_error(std::string("shape of ") + p->name + " differs from the fixture's");
        auto values = w["values"].get<std::vector<float>>();
        std::copy(values.begin(), values.end(), static_cast<float*>(p->value->data));
    }
}

std::vector<std::pair<std::string, Named>> Classifier::parameters() {
    const genhost_trainable* t = instance_->trainable();
    std::vector<std::pair<std::string, Named>> out;
    for (uint32_t i = 0; i < t->parameter_count(raw()); ++i) {
        const genhost_parameter* p = t->get_parameter(raw(), i);
        Named named;
        named.shape.assign(p->value->shape, p->value->shape + p->value->ndim);
        const float* v = static_cast<const float*>(p->value->data);
        named.values.assign(v, v + numel(p->value));
        if (p->grad) {
            const float* g = static_cast<const float*>(p->grad->data);
            named.grads.assign(g, g + numel(p->grad));
        }
        out.emplace_back(p->name, std::move(named));
    }
    return out;
}

int64_t Classifier::count(const std::vector<float>& images) const {
    return static_cast<int64_t>(images.size()) / (data.channels * data.height * data.width);
}

std::vector<float> Classifier::embed(const std::vector<float>& images, std::vector<float>* probabilities) {
    const genhost_embedder* e = instance_->embedder();
    const int64_t n = count(images);
    Buffer<float> x({n, data.channels, data.height, data.width}, images);
    Buffer<float> features({n, instance_->feature_dim()});
    Buffer<float> probs({n, instance_->embedding_classes()});
    instance_->check(e->embed(raw(), x.get(), features.get(), probabilities ? probs.get() : nullptr), "embed");
    if (probabilities) *probabilities = probs.values;
    return features.values;
}

std::vector<float> Classifier::train_step(const std::vector<float>& images, const std::vector<int64_t>& labels,
                                          uint64_t step, float lr) {
    const genhost_trainable* t = instance_->trainable();
    const uint32_t n_params = t->parameter_count(raw());
    if (adam_m_.empty()) adam_m_.resize(n_params), adam_v_.resize(n_params);
    for (uint32_t i = 0; i < n_params; ++i) {
        const genhost_parameter* p = t->get_parameter(raw(), i);
        std::fill_n(static_cast<float*>(p->grad->data), numel(p->grad), 0.0f);
    }
    const int64_t n = count(images);
    Buffer<float> x({n, data.channels, data.height, data.width}, images);
    Buffer<int64_t> y({n}, labels);
    genhost_batch batch{sizeof batch, x.get(), labels.empty() ? nullptr : y.get(), step, 1000 + step, n, nullptr};
    std::vector<float> losses(2);
    instance_->check(t->train_phase(raw(), 0, &batch, losses.data()), "train_phase");
    if (lr == 0.0f) return losses;

    // Adam (Kingma & Ba), betas 0.9 / 0.999.
    const float b1 = 0.9f, b2 = 0.999f, s = static_cast<float>(step + 1);
    for (uint32_t i = 0; i < n_params; ++i) {
        const genhost_parameter* p = t->get_parameter(raw(), i);
        float* w = static_cast<float*>(p->value->data);
        const float* g = static_cast<const float*>(p->grad->data);
        const size_t m = static_cast<size_t>(numel(p->value));
        adam_m_[i].resize(m), adam_v_[i].resize(m);
        for (size_t j = 0; j < m; ++j) {
            adam_m_[i][j] = b1 * adam_m_[i][j] + (1 - b1) * g[j];
            adam_v_[i][j] = b2 * adam_v_[i][j] + (1 - b2) * g[j] * g[j];
            const float mh = adam_m_[i][j] / (1 - std::pow(b1, s)), vh = adam_v_[i][j] / (1 - std::pow(b2, s));
            w[j] -= lr * mh / (std::sqrt(vh) + 1e-8f);
        }
    }
    return losses;
}

void shapes(int64_t count, int64_t size, uint64_t seed, std::vector<float>& images, std::vector<int64_t>& labels) {
    genhost::data::ShapesOptions o;
    o.count = count, o.size = size, o.channels = 1, o.seed = seed;
    genhost::data::Dataset d = genhost::data::make_shapes(o);
    images = d.images;
    labels = d.labels;
}

}  // namespace classifier_test
