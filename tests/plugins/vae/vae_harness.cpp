#include "vae_harness.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "data/options.hpp"
#include "data/shapes.hpp"
#include "loader/registry.hpp"

namespace vae_test {

using genhost::testing::numel;

const genhost::loader::PluginRegistry& registry() { return genhost::testing::built_plugins(); }

Vae::Vae(const nlohmann::json& params, const Data& d, uint64_t seed) : data(d) {
    genhost_data_info info{sizeof(genhost_data_info), d.channels, d.height, d.width, d.num_classes, d.lo, d.hi};
    genhost::loader::HostServices services;
    services.seed = seed;
    services.num_threads = 1;
    instance_ = genhost::loader::PluginInstance::create(registry().find("vae"), params, &info, services);
}

void Vae::set_weights(const nlohmann::json& weights) {
    const genhost_trainable* t = instance_->trainable();
    const uint32_t count = t->parameter_count(raw());
    if (count != weights.size())
        throw std::runtime_error("the plugin has " + std::to_string(count) + " parameters, the fixture " +
                                 std::to_string(weights.size()));
    for (uint32_t i = 0; i < count; ++i) {
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

std::vector<float> Vae::all_weights() {
    const genhost_trainable* t = instance_->trainable();
    std::vector<float> out;
    for (uint32_t i = 0; i < t->parameter_count(raw()); ++i) {
        const DLTensor* v = t->get_parameter(raw(), i)->value;
        const float* p = static_cast<const float*>(v->data);
        out.insert(out.end(), p, p + numel(v));
    }
    return out;
}

std::vector<float> Vae::log_likelihood(const std::vector<float>& images, const std::vector<int64_t>& labels,
                                       uint32_t k, uint64_t seed) {
    const int64_t n = static_cast<int64_t>(images.size()) / (data.channels * data.height * data.width);
    Buffer<float> x({n, data.channels, data.height, data.width}, images);
    Buffer<int64_t> y({n}, labels.empty() ? std::vector<int64_t>(static_cast<size_t>(n)) : labels);
    Buffer<float> out({n});
    genhost_likelihood_request request{sizeof request, x.get(), labels.empty() ? nullptr : y.get(), k, seed};
    check(instance_->likelihood()->log_likelihood(raw(), &request, out.get()), "log_likelihood");
    return out.values;
}

std::vector<float> Vae::train_step(const std::vector<float>& images, const std::vector<int64_t>& labels,
                                   uint64_t step, float lr) {
    const genhost_trainable* t = instance_->trainable();
    const uint32_t count = t->parameter_count(raw());
    if (adam_m_.empty()) adam_m_.resize(count), adam_v_.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
        const genhost_parameter* p = t->get_parameter(raw(), i);
        std::fill_n(static_cast<float*>(p->grad->data), numel(p->grad), 0.0f);
    }
    const int64_t n = static_cast<int64_t>(images.size()) / (data.channels * data.height * data.width);
    Buffer<float> x({n, data.channels, data.height, data.width}, images);
    Buffer<int64_t> y({n}, labels.empty() ? std::vector<int64_t>(static_cast<size_t>(n)) : labels);
    genhost_batch batch{sizeof batch, x.get(), labels.empty() ? nullptr : y.get(), step, 1000 + step, n, nullptr};
    std::vector<float> losses(3);
    check(t->train_phase(raw(), 0, &batch, losses.data()), "train_phase");

    // Adam (Kingma & Ba), betas 0.9 / 0.999.
    const float b1 = 0.9f, b2 = 0.999f, s = static_cast<float>(step + 1);
    for (uint32_t i = 0; i < count; ++i) {
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

void shapes(int64_t count, int64_t size, std::vector<float>& images, std::vector<int64_t>& labels) {
    genhost::data::ShapesOptions o;
    o.count = count, o.size = size, o.channels = 1, o.seed = 3;
    genhost::data::Dataset d = genhost::data::make_shapes(o);
    images = d.images;
    labels = d.labels;
}

}  // namespace vae_test
