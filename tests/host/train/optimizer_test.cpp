// Optimizers against torch.optim (fixtures/optimizers.json), and state export/import.
#include "test_support.hpp"
#include "train/adam.hpp"
#include "train/optimizer_factory.hpp"
#include "train/sgd.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cstring>

using namespace genhost::train;
using namespace genhost::train::test;
using nlohmann::json;

namespace {

Model fixture_model(const json& fx) {
    Model m;
    for (const json& p : fx["params"]) m.add(p["name"], p["init"].get<std::vector<float>>());
    return m;
}

void load_grads(Model& m, const json& fx, std::size_t step) {
    // Copied into the existing buffers: the slots point at them.
    for (std::size_t i = 0; i < m.names.size(); ++i) {
        const auto g = fx["grads"][step][i].get<std::vector<float>>();
        REQUIRE(g.size() == m.grads[i].size());
        std::copy(g.begin(), g.end(), m.grads[i].begin());
    }
}

const NamedTensor& find(const std::vector<NamedTensor>& state, const std::string& name) {
    for (const NamedTensor& t : state)
        if (t.name == name) return t;
    FAIL("no tensor '" << name << "' in the exported state");
    throw 0;
}

}  // namespace

TEST_CASE("each optimizer matches torch.optim after every one of 5 steps", "[train][optimizer]") {
    const json fx = load_fixture("optimizers.json");
    for (const json& c : fx["cases"]) {
        DYNAMIC_SECTION(c["name"].get<std::string>()) {
            Model m  = fixture_model(fx);
            auto opt = make_optimizer(c["type"].get<std::string>(), to_options(c["options"]), "net", m.slots(),
                                      "optimizers.json");
            for (std::size_t step = 0; step < c["expected"].size(); ++step) {
                load_grads(m, fx, step);
                opt->set_lr(c["lrs"][step].get<double>());
                opt->step();
                for (std::size_t i = 0; i < m.names.size(); ++i)
                    require_close(m.values[i].data(), c["expected"][step][i].get<std::vector<float>>(), 1e-5, 1e-7,
                                  c["name"].get<std::string>() + ", step " + std::to_string(step + 1) + ", " +
                                      m.names[i]);
            }
            CHECK(opt->step_count() == static_cast<std::int64_t>(c["expected"].size()));
        }
    }
}

TEST_CASE("exported state has torch's state names and values", "[train][optimizer]") {
    const json fx = load_fixture("optimizers.json");
    for (const json& c : fx["cases"]) {
        DYNAMIC_SECTION(c["name"].get<std::string>()) {
            Model m  = fixture_model(fx);
            auto opt = make_optimizer(c["type"].get<std::string>(), to_options(c["options"]), "net", m.slots(), "");
            for (std::size_t step = 0; step < c["expected"].size(); ++step) {
                load_grads(m, fx, step);
                opt->set_lr(c["lrs"][step].get<double>());
                opt->step();
            }
            const std::vector<NamedTensor> state = opt->export_state();
            const NamedTensor& step = find(state, "optimizer.net.step");
            CHECK(step.shape.empty());
            CHECK(step.data == std::vector<float>{static_cast<float>(c["expected"].size())});
            std::size_t buffers = 0;
            for (const auto& [key, per_param] : c["state"].items()) {
                if (key == "step") continue;
                ++buffers;
                for (std::size_t i = 0; i < m.names.size(); ++i) {
                    const NamedTensor& t = find(state, "optimizer.net." + key + "." + m.names[i]);
                    CHECK(t.shape == std::vector<std::int64_t>{static_cast<std::int64_t>(m.values[i].size())});
                    require_close(t.data.data(), per_param[i].get<std::vector<float>>(), 1e-5, 1e-7,
                                  t.name);
                }
            }
            CHECK(state.size() == 1 + buffers * m.names.size());
        }
    }
}

TEST_CASE("export then import into a fresh optimizer then continue is bit-identical", "[train][optimizer]") {
    const json fx = load_fixture("optimizers.json");
    for (const json& c : fx["cases"]) {
        DYNAMIC_SECTION(c["name"].get<std::string>()) {
            const std::string type = c["type"];
            const OptionMap options = to_options(c["options"]);
            const std::size_t steps = c["expected"].size(), cut = 2;

            Model straight = fixture_model(fx);
            auto opt = make_optimizer(type, options, "net", straight.slots(), "");
            Model resumed;
            std::vector<NamedTensor> saved;
            for (std::size_t step = 0; step < steps; ++step) {
                if (step == cut) {
                    saved   = opt->export_state();
                    resumed = straight;   // the weights a checkpoint would hold
                }
                load_grads(straight, fx, step);
                opt->set_lr(c["lrs"][step].get<double>());
                opt->step();
            }

            auto fresh = make_optimizer(type, options, "net", resumed.slots(), "");
            fresh->import_state(saved, "resume.safetensors");
            CHECK(fresh->step_count() == static_cast<std::int64_t>(cut));
            for (std::size_t step = cut; step < steps; ++step) {
                load_grads(resumed, fx, step);
                fresh->set_lr(c["lrs"][step].get<double>());
                fresh->step();
            }
            for (std::size_t i = 0; i < straight.names.size(); ++i)
                CHECK(std::memcmp(straight.values[i].data(), resumed.values[i].data(),
                                  straight.values[i].size() * sizeof(float)) == 0);
        }
    }
}

namespace {

Model tiny() {
    Model m;
    m.add("w", {1.0f, 2.0f, 3.0f});
    m.add("b", {0.5f});
    m.grads[0] = {0.1f, -0.2f, 0.3f};
    m.grads[1] = {1.0f};
    return m;
}

std::vector<NamedTensor> trained_adam_state(bool amsgrad) {
    Model m = tiny();
    AdamOptions o;
    o.amsgrad = amsgrad;
    Adam opt("gen", m.slots(), o);
    opt.step();
    return opt.export_state();
}

}  // namespace

TEST_CASE("import rejects missing or extra or wrong-size state and changes nothing", "[train][optimizer]") {
    Model m = tiny();
    Adam opt("gen", m.slots(), AdamOptions{});
    opt.step();
    const std::vector<NamedTensor> before = opt.export_state();

    SECTION("missing tensor") {
        auto state = trained_adam_state(false);
        state.erase(state.begin() + 1);
        CHECK_THROWS_WITH(opt.import_state(state, "ck.safetensors"),
                          Catch::Contains("checkpoint ck.safetensors lacks 'optimizer.gen.exp_avg.w'"));
    }
    SECTION("extra tensor from amsgrad") {
        CHECK_THROWS_WITH(opt.import_state(trained_adam_state(true), "ck.safetensors"),
                          Catch::Contains("has 'optimizer.gen.max_exp_avg_sq.b', which the adam optimizer of group "
                                          "'gen' does not use"));
    }
    SECTION("wrong size") {
        auto state = trained_adam_state(false);
        for (NamedTensor& t : state)
            if (t.name == "optimizer.gen.exp_avg_sq.w") t.data.push_back(0.0f);
        CHECK_THROWS_WITH(opt.import_state(state, "ck.safetensors"),
                          Catch::Contains("'optimizer.gen.exp_avg_sq.w' has 4 floats, the adam optimizer of "
                                          "group 'gen' expects 3"));
    }
    SECTION("step count that is not a whole number") {
        auto state = trained_adam_state(false);
        state[0].data[0] = 2.5f;
        CHECK_THROWS_WITH(opt.import_state(state), Catch::Contains("expected a whole step count"));
    }
    SECTION("duplicate tensor") {
        auto state = trained_adam_state(false);
        state.push_back(state[1]);
        CHECK_THROWS_WITH(opt.import_state(state), Catch::Contains("appears twice"));
    }
    const std::vector<NamedTensor> after = opt.export_state();
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i].data == before[i].data);
}

TEST_CASE("import ignores other groups' state", "[train][optimizer]") {
    auto state = trained_adam_state(false);
    NamedTensor other{"optimizer.disc.exp_avg.w", {3}, {9.0f, 9.0f, 9.0f}};
    state.push_back(other);
    state.push_back({"model.w", {3}, {1.0f, 2.0f, 3.0f}});
    Model m = tiny();
    Adam opt("gen", m.slots(), AdamOptions{});
    opt.import_state(state);
    CHECK(opt.step_count() == 1);
}

TEST_CASE("slots and learning rates are validated", "[train][optimizer]") {
    Model m = tiny();
    auto slots = m.slots();
    SECTION("duplicate names") {
        slots[1].name = "w";
        CHECK_THROWS_WITH(Sgd("gen", slots, SgdOptions{}), Catch::Contains("'w' is used twice"));
    }
    SECTION("null gradient") {
        slots[0].grad = nullptr;
        CHECK_THROWS_WITH(Sgd("gen", slots, SgdOptions{}), Catch::Contains("'w': grad is null but size is 3"));
    }
    SECTION("group name with a dot") {
        CHECK_THROWS_WITH(Sgd("gen.a", slots, SgdOptions{}), Catch::Contains("contain no '.'"));
    }
    SECTION("negative or NaN learning rate") {
        Sgd opt("gen", slots, SgdOptions{});
        CHECK_THROWS_WITH(opt.set_lr(-1.0), Catch::Contains("learning rate -1 is invalid"));
        CHECK_THROWS_AS(opt.set_lr(NAN), genhost::Error);
    }
}

TEST_CASE("empty parameters and empty groups are fine", "[train][optimizer]") {
    Model m;
    m.add("empty", {});
    auto opt = make_optimizer("adam", {}, "gen", m.slots(), "");
    opt->step();
    auto none = make_optimizer("rmsprop", {}, "disc", {}, "");
    none->step();
    CHECK(none->export_state().size() == 1);
}
