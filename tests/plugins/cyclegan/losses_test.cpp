// CycleGAN's two phases against PyTorch (fixtures/cyclegan.json, make_fixtures.py): tiny
// networks with the fixture's weights, a batch of each domain, the losses the plugin
// reports and the gradient of each phase's loss in every weight of its group, through the
// plugin's C capabilities as the host drives them.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "loader/instance.hpp"
#include "support/close.hpp"
#include "support/fixture_cases.hpp"
#include "support/plugin_harness.hpp"

using genhost::testing::Buffer;

namespace {

std::unique_ptr<genhost::loader::PluginInstance> cyclegan(const nlohmann::json& c) {
    genhost_data_info info{sizeof(genhost_data_info), c["channels"].get<int64_t>(), c["size"].get<int64_t>(),
                           c["size"].get<int64_t>(), 0, -1.0f, 1.0f, 2};
    genhost::loader::HostServices services;
    services.num_threads = 1;
    return genhost::loader::PluginInstance::create(genhost::testing::built_plugins().find("cyclegan"), c["params"],
                                                   &info, services);
}

}  // namespace

TEST_CASE("both phases' losses and gradients match PyTorch's", "[cyclegan]") {
    for (const auto& c : genhost::testing::fixture_cases("plugins/cyclegan/fixtures/cyclegan.json")) {
        DYNAMIC_SECTION("params " << c["params"].dump()) {
            auto p = cyclegan(c);
            const genhost_trainable* t = p->trainable();
            REQUIRE(t);
            std::map<std::string, const genhost_parameter*> by_name;
            for (uint32_t i = 0; i < t->parameter_count(p->raw()); ++i) {
                const genhost_parameter* q = t->get_parameter(p->raw(), i);
                by_name[q->name] = q;
            }
            REQUIRE(by_name.size() == c["weights"].size());
            for (auto it = c["weights"].begin(); it != c["weights"].end(); ++it) {
                INFO(it.key());
                REQUIRE(by_name.count(it.key()));
                const auto w = it.value().get<std::vector<float>>();
                REQUIRE(genhost::testing::numel(by_name[it.key()]->value) == static_cast<int64_t>(w.size()));
                std::copy(w.begin(), w.end(), static_cast<float*>(by_name[it.key()]->value->data));
            }
            const int64_t n = c["n"], ch = c["channels"], s = c["size"];
            Buffer<float> a({n, ch, s, s}, c["a"].get<std::vector<float>>());
            Buffer<float> b({n, ch, s, s}, c["b"].get<std::vector<float>>());
            genhost_batch batch{sizeof batch, a.get(), nullptr, 0, 7, n, nullptr, b.get(), nullptr};
            for (uint32_t phase = 0; phase < 2; ++phase) {
                const genhost_phase* ph = t->get_phase(p->raw(), phase);
                const nlohmann::json& want = c[ph->name];
                for (auto& [name, q] : by_name)
                    if (q->grad) std::fill_n(static_cast<float*>(q->grad->data), genhost::testing::numel(q->grad), 0.0f);
                std::vector<float> losses(want["losses"].size());
                p->check(t->train_phase(p->raw(), phase, &batch, losses.data()), "train_phase");
                genhost::testing::require_close(losses.data(), want["losses"].get<std::vector<float>>(), 1e-4, 1e-5,
                                                std::string(ph->name) + " losses");
                for (auto it = want["grads"].begin(); it != want["grads"].end(); ++it) {
                    REQUIRE(std::string(by_name[it.key()]->group) == ph->group);
                    genhost::testing::require_close(static_cast<const float*>(by_name[it.key()]->grad->data),
                                                    it.value().get<std::vector<float>>(), 2e-3, 2e-5,
                                                    ph->name + std::string(" grad of ") + it.key());
                }
            }
        }
    }
}

TEST_CASE("CycleGAN refuses data without two domains before any work, saying how to give them", "[cyclegan]") {
    genhost_data_info info{sizeof(genhost_data_info), 1, 28, 28, 10, -1.0f, 1.0f, 1};
    genhost::loader::HostServices services;
    CHECK_THROWS_WITH(genhost::loader::PluginInstance::create(genhost::testing::built_plugins().find("cyclegan"),
                                                              nlohmann::json::object(), &info, services),
                      Catch::Contains("CycleGAN translates between two data domains: give the pipeline data: {domains:"));
}
