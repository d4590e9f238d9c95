// WGAN's weight clipping, through the plugin's C capabilities as the host drives them:
// every critic parameter is back in [-c, c] after each critic update, the generator's
// updates leave the critic alone, and a trained run's checkpoint holds clipped weights.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "checkpoint/safetensors.hpp"
#include "loader/instance.hpp"
#include "loader/registry.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

const genhost::loader::PluginRegistry& registry() {
    static genhost::loader::PluginRegistry r = [] {
        genhost::loader::PluginRegistry reg;
        reg.scan({fs::path(GENHOST_BINARY_DIR) / "lib" / "genhost" / "plugins"});
        return reg;
    }();
    return r;
}

DLTensor view(float* data, std::vector<int64_t>& shape) {
    DLTensor t{};
    t.data = data, t.device = {kDLCPU, 0}, t.ndim = static_cast<int32_t>(shape.size());
    t.dtype = {kDLFloat, 32, 1}, t.shape = shape.data();
    return t;
}

float max_abs(const float* p, size_t n) {
    float m = 0;
    for (size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(p[i]));
    return m;
}

}  // namespace

TEST_CASE("after every critic update all critic parameters are clipped to [-c, c], and only then, and G's phase grads G only", "[gan][clip]") {
    genhost_data_info info{sizeof(genhost_data_info), 1, 28, 28, 0, -1.0f, 1.0f, 1};
    genhost::loader::HostServices services;
    services.num_threads = 1;
    auto p = genhost::loader::PluginInstance::create(registry().find("wgan"), {{"ngf", 4}, {"ndf", 4}}, &info, services);
    const genhost_trainable* t = p->trainable();
    REQUIRE(t != nullptr);
    REQUIRE(std::string(t->get_phase(p->raw(), 0)->name) == "critic");
    std::vector<const genhost_parameter*> critic;
    for (uint32_t i = 0; i < t->parameter_count(p->raw()); ++i) {
        const genhost_parameter* q = t->get_parameter(p->raw(), i);
        if (std::string(q->group) == "critic" && !(q->flags & GENHOST_PARAMETER_BUFFER)) critic.push_back(q);
    }
    REQUIRE(critic.size() >= 5);  // 3 convs, BatchNorm's scale and shift
    auto size = [](const genhost_parameter* q) {
        size_t n = 1;
        for (int i = 0; i < q->value->ndim; ++i) n *= static_cast<size_t>(q->value->shape[i]);
        return n;
    };

    std::vector<float> images(4 * 28 * 28);
    for (size_t i = 0; i < images.size(); ++i) images[i] = std::sin(0.37f * static_cast<float>(i));
    std::vector<int64_t> shape = {4, 1, 28, 28};
    DLTensor x = view(images.data(), shape);
    for (uint64_t step = 0; step < 3; ++step) {
        for (auto* q : critic) std::fill_n(static_cast<float*>(q->grad->data), size(q), 0.0f);
        genhost_batch batch{sizeof batch, &x, nullptr, step, 7 + step, 4, nullptr, nullptr, nullptr};
        std::vector<float> losses(5);
        p->check(t->train_phase(p->raw(), 0, &batch, losses.data()), "train_phase");
        // An update far larger than c, against the gradient, as a big optimizer step would be.
        float before = 0;
        for (auto* q : critic) {
            float* w = static_cast<float*>(q->value->data);
            const float* g = static_cast<const float*>(q->grad->data);
            for (size_t i = 0; i < size(q); ++i) w[i] -= g[i] >= 0 ? 0.5f : -0.5f;
            before = std::max(before, max_abs(w, size(q)));
        }
        REQUIRE(before > 0.4f);
        p->check(t->after_update(p->raw(), 0), "after_update");
        for (auto* q : critic) {
            INFO(q->name << " after critic update " << step);
            CHECK(max_abs(static_cast<const float*>(q->value->data), size(q)) == Approx(0.01f));
        }
    }
    // The generator's phase (no images: GENHOST_PHASE_NO_DATA) computes G's gradients only,
    // and leaves D trainable for its next phase.
    std::vector<const genhost_parameter*> generator;
    for (uint32_t i = 0; i < t->parameter_count(p->raw()); ++i) {
        const genhost_parameter* q = t->get_parameter(p->raw(), i);
        if (std::string(q->group) == "generator" && !(q->flags & GENHOST_PARAMETER_BUFFER)) generator.push_back(q);
    }
    REQUIRE(t->get_phase(p->raw(), 1)->flags & GENHOST_PHASE_NO_DATA);
    auto grad_max = [&](const std::vector<const genhost_parameter*>& ps) {
        float m = 0;
        for (auto* q : ps) m = std::max(m, max_abs(static_cast<const float*>(q->grad->data), size(q)));
        return m;
    };
    for (auto* q : critic) std::fill_n(static_cast<float*>(q->grad->data), size(q), 0.0f);
    genhost_batch no_data{sizeof no_data, nullptr, nullptr, 3, 99, 4, nullptr, nullptr, nullptr};
    std::vector<float> g_losses(2);
    p->check(t->train_phase(p->raw(), 1, &no_data, g_losses.data()), "train_phase generator");
    CHECK(grad_max(generator) > 0.0f);
    CHECK(grad_max(critic) == 0.0f);
    genhost_batch batch{sizeof batch, &x, nullptr, 4, 11, 4, nullptr, nullptr, nullptr};
    std::vector<float> losses(5);
    p->check(t->train_phase(p->raw(), 0, &batch, losses.data()), "train_phase critic");
    CHECK(grad_max(critic) > 0.0f);

    // The generator's update does not clip the critic.
    float* w0 = static_cast<float*>(critic[0]->value->data);
    w0[0] = 0.5f;
    p->check(t->after_update(p->raw(), 1), "after_update");
    CHECK(w0[0] == 0.5f);
}

TEST_CASE("a WGAN run's checkpoint holds critic weights inside [-c, c]", "[gan][clip]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("gan/clip-run");
    std::ofstream(d / "p.yaml") << "seed: 2\n"
                                   "data: {dataset: shapes, size: 64, batch_size: 8, image_size: 28, range: [-1, 1]}\n"
                                   "model: {plugin: wgan, params: {ngf: 4, ndf: 4, latent_dim: 8}}\n"
                                   "train:\n"
                                   "  steps: 3\n"
                                   "  phases: {critic: 2, generator: 1}\n"
                                   "  optimizer: {type: rmsprop, lr: 0.5}\n"
                                   "sample: {count: 0}\n";
    auto r = genhost::testing::run_command(std::string(GENHOST_BINARY_DIR) + "/bin/genhost run " + (d / "p.yaml").string() +
                                           " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto c = genhost::checkpoint::Checkpoint::read((d / "out" / "checkpoint.safetensors").string());
    int checked = 0;
    float largest = 0;
    for (const auto& name : c.names()) {
        if (name.rfind("model.critic.", 0) != 0 || name.find("running_") != std::string::npos ||
            name.find("num_batches") != std::string::npos)
            continue;
        const auto& t = c.tensor(name);
        const float m = max_abs(reinterpret_cast<const float*>(t.data), t.size_bytes / sizeof(float));
        INFO(name);
        CHECK(m <= 0.01f);
        largest = std::max(largest, m);
        ++checked;
    }
    CHECK(checked >= 5);
    CHECK(largest == 0.01f);  // lr 0.5 pushed weights out: the clip, not the optimizer, kept them in
}

TEST_CASE("BatchNorm's running statistics are averaged across processes, spectral norm's vectors are not", "[gan]") {
    // ABI 1.2's buffer flags: data-parallel training averages REDUCE_MEAN buffers.
    genhost_data_info info{sizeof(genhost_data_info), 1, 28, 28, 0, -1.0f, 1.0f, 1};
    genhost::loader::HostServices services;
    services.num_threads = 1;
    auto p = genhost::loader::PluginInstance::create(registry().find("dcgan"), {{"ngf", 4}, {"ndf", 4}, {"spectral_norm", true}},
                                                     &info, services);
    const genhost_trainable* t = p->trainable();
    REQUIRE(t != nullptr);
    int statistics = 0, vectors = 0;
    for (uint32_t i = 0; i < t->parameter_count(p->raw()); ++i) {
        const genhost_parameter* q = t->get_parameter(p->raw(), i);
        const std::string name = q->name;
        INFO(name);
        const bool running = name.find(".running_mean") != std::string::npos || name.find(".running_var") != std::string::npos;
        if (running) {
            ++statistics;
            CHECK(q->flags & GENHOST_PARAMETER_BUFFER);
            CHECK(q->flags & GENHOST_PARAMETER_REDUCE_MEAN);
        } else {
            CHECK_FALSE(q->flags & GENHOST_PARAMETER_REDUCE_MEAN);
        }
        if (name.size() > 2 && (name.substr(name.size() - 2) == "_u" || name.substr(name.size() - 2) == "_v")) ++vectors;
        CHECK_FALSE(q->flags & GENHOST_PARAMETER_REDUCE_SUM);
    }
    CHECK(statistics == 6);  // G's two BatchNorms and D's one, mean and variance each
    CHECK(vectors == 6);     // u and v of D's three weights
}
