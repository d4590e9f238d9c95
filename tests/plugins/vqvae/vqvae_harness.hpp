// The VQ-VAE plugin as a test sees it: created through the loader from the build's plugin
// folder, driven through its C capabilities (trainable, quantizer) as the host drives it.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "loader/instance.hpp"
#include "support/plugin_harness.hpp"

#include "support/close.hpp"

namespace vqvae_test {

using genhost::testing::Buffer;
using genhost::testing::numel;

inline const nlohmann::json& fixtures() {
    static const nlohmann::json j = [] {
        std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/plugins/vqvae/fixtures/vqvae.json");
        REQUIRE(in.good());
        return nlohmann::json::parse(in);
    }();
    return j;
}

using genhost::testing::require_close;

class VqVae {
public:
    VqVae(const nlohmann::json& params, int64_t channels, int64_t height, int64_t width, uint64_t seed = 0)
        : shape_{channels, height, width} {
        genhost_data_info info{sizeof(genhost_data_info), channels, height, width, 0, 0.0f, 1.0f};
        genhost::loader::HostServices services;
        services.seed = seed;
        services.num_threads = 1;
        instance_ = genhost::loader::PluginInstance::create(genhost::testing::built_plugins().find("vqvae"), params,
                                                            &info, services);
    }

    genhost::loader::PluginInstance& instance() { return *instance_; }
    genhost_plugin* raw() { return instance_->raw(); }
    const genhost_trainable* trainable() { return instance_->trainable(); }
    const genhost_quantizer* quantizer() { return instance_->quantizer(); }

    const genhost_parameter* parameter(const std::string& name) {
        for (uint32_t i = 0; i < trainable()->parameter_count(raw()); ++i) {
            const genhost_parameter* p = trainable()->get_parameter(raw(), i);
            if (name == p->name) return p;
        }
        FAIL("the plugin has no parameter " + name);
        return nullptr;
    }

    // Copies each named tensor into the parameter (or buffer) of that name; every one must be given.
    void set_weights(const nlohmann::json& weights) {
        const uint32_t count = trainable()->parameter_count(raw());
        REQUIRE(count == weights.size());
        for (uint32_t i = 0; i < count; ++i) {
            const genhost_parameter* p = trainable()->get_parameter(raw(), i);
            INFO(p->name);
            REQUIRE(weights.contains(p->name));
            const auto& w = weights[p->name];
            REQUIRE(std::vector<int64_t>(p->value->shape, p->value->shape + p->value->ndim) ==
                    w["shape"].get<std::vector<int64_t>>());
            auto values = w["values"].get<std::vector<float>>();
            std::copy(values.begin(), values.end(), static_cast<float*>(p->value->data));
        }
    }

    // The gradients of one step (zeroed first) and its losses; the host's after_update follows.
    std::vector<float> train_phase(const std::vector<float>& images, uint64_t seed = 7) {
        const genhost_trainable* t = trainable();
        for (uint32_t i = 0; i < t->parameter_count(raw()); ++i) {
            const genhost_parameter* p = t->get_parameter(raw(), i);
            if (p->grad) std::fill_n(static_cast<float*>(p->grad->data), numel(p->grad), 0.0f);
        }
        const int64_t n = int64_t(images.size()) / (shape_[0] * shape_[1] * shape_[2]);
        Buffer<float> x({n, shape_[0], shape_[1], shape_[2]}, images);
        genhost_batch batch{sizeof batch, x.get(), nullptr, 0, seed, n};
        std::vector<float> losses(6);
        instance_->check(t->train_phase(raw(), 0, &batch, losses.data()), "train_phase");
        instance_->check(t->after_update(raw(), 0), "after_update");
        return losses;
    }

    std::vector<int64_t> encode(const std::vector<float>& images) {
        const int64_t n = int64_t(images.size()) / (shape_[0] * shape_[1] * shape_[2]);
        const auto cs = instance_->code_shape();
        Buffer<float> x({n, shape_[0], shape_[1], shape_[2]}, images);
        Buffer<int64_t> codes({n, cs[0], cs[1], cs[2]});
        instance_->check(quantizer()->encode_codes(raw(), x.get(), codes.get()), "encode_codes");
        return codes.values;
    }

    std::vector<float> decode(const std::vector<int64_t>& codes) {
        const auto cs = instance_->code_shape();
        const int64_t n = int64_t(codes.size()) / (cs[0] * cs[1] * cs[2]);
        Buffer<int64_t> c({n, cs[0], cs[1], cs[2]}, codes);
        Buffer<float> images({n, shape_[0], shape_[1], shape_[2]});
        instance_->check(quantizer()->decode_codes(raw(), c.get(), images.get()), "decode_codes");
        return images.values;
    }

private:
    std::array<int64_t, 3> shape_;
    std::unique_ptr<genhost::loader::PluginInstance> instance_;
};

}  // namespace vqvae_test
