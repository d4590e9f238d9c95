// EMA of weights: decay schedules as in diffusers' EMAModel, updates by hand, swap, state.
#include "test_support.hpp"
#include "train/ema.hpp"
#include "util/error.hpp"

#include <cmath>
#include <cstring>

using namespace genhost::train;
using namespace genhost::train::test;

TEST_CASE("shadow follows the hand-computed average", "[train][ema]") {
    Model m;
    m.add("w", {1.0f, -2.0f});
    EmaOptions o;
    o.decay = 0.75;   // powers of two keep the arithmetic exact
    Ema ema("gen", m.slots(), o);
    CHECK(ema.shadow(0)[0] == 1.0f);

    m.values[0] = {3.0f, 2.0f};
    ema.update();   // s = 0.75 s + 0.25 v
    CHECK(ema.shadow(0)[0] == 1.5f);
    CHECK(ema.shadow(0)[1] == -1.0f);
    m.values[0] = {5.0f, 2.0f};
    ema.update();
    CHECK(ema.shadow(0)[0] == 2.375f);
    CHECK(ema.shadow(0)[1] == -0.25f);
    CHECK(ema.update_count() == 2);
}

TEST_CASE("decay schedules follow diffusers' EMAModel.get_decay", "[train][ema]") {
    Model m;
    m.add("w", {0.0f});
    EmaOptions o;
    o.decay = 0.999;
    SECTION("none, with update_after_step") {
        o.update_after_step = 2;
        Ema ema("gen", m.slots(), o);
        CHECK(ema.decay_at(1) == 0.0);
        CHECK(ema.decay_at(2) == 0.0);
        CHECK(ema.decay_at(3) == 0.999);
    }
    SECTION("bias: (1 + k) / (10 + k), k = t - 1") {
        o.warmup = EmaWarmup::bias;
        Ema ema("gen", m.slots(), o);
        CHECK(ema.decay_at(1) == 0.0);
        CHECK(ema.decay_at(2) == Approx(2.0 / 11.0));
        CHECK(ema.decay_at(11) == Approx(11.0 / 20.0));
        CHECK(ema.decay_at(100000) == 0.999);
    }
    SECTION("power: 1 - (1 + k / inv_gamma)^-power, clamped below by min_decay") {
        o.warmup    = EmaWarmup::power;
        o.power     = 0.75;
        o.inv_gamma = 2.0;
        o.min_decay = 0.3;
        Ema ema("gen", m.slots(), o);
        CHECK(ema.decay_at(1) == 0.0);
        CHECK(ema.decay_at(2) == 0.3);   // k = 1: 1 - 1.5^-0.75 = 0.26, below min_decay
        CHECK(ema.decay_at(9) == Approx(1.0 - std::pow(5.0, -0.75)));
    }
}

TEST_CASE("swap exchanges shadow and values and copy_to writes the shadow", "[train][ema]") {
    Model m;
    m.add("w", {1.0f, 2.0f});
    EmaOptions o;
    o.decay = 0.5;
    Ema ema("gen", m.slots(), o);
    m.values[0] = {3.0f, 4.0f};
    ema.update();   // shadow = {2, 3}
    ema.swap();
    CHECK(m.values[0] == std::vector<float>{2.0f, 3.0f});
    CHECK(ema.shadow(0)[0] == 3.0f);
    ema.swap();
    CHECK(m.values[0] == std::vector<float>{3.0f, 4.0f});
    ema.copy_to();
    CHECK(m.values[0] == std::vector<float>{2.0f, 3.0f});
}

TEST_CASE("EMA export then import then continue is bit-identical", "[train][ema]") {
    Model m;
    m.add("w", {0.1f, 0.2f, 0.3f});
    m.add("b", {-1.0f});
    EmaOptions o;
    o.decay  = 0.99;
    o.warmup = EmaWarmup::power;
    Ema straight("gen", m.slots(), o);
    auto wiggle = [&](int t) {
        for (auto& v : m.values)
            for (float& x : v) x = x * 0.9f + 0.01f * static_cast<float>(t);
    };
    std::vector<NamedTensor> saved;
    Model at_save;
    for (int t = 0; t < 6; ++t) {
        if (t == 3) saved = straight.export_state(), at_save = m;
        wiggle(t);
        straight.update();
    }
    REQUIRE(saved.size() == 3);
    CHECK(saved[0].name == "ema.gen.step");
    CHECK(saved[1].name == "ema.gen.w");

    Model m2 = at_save;
    Ema resumed("gen", m2.slots(), o);
    resumed.import_state(saved, "ck.safetensors");
    CHECK(resumed.update_count() == 3);
    for (int t = 3; t < 6; ++t) {
        for (auto& v : m2.values)
            for (float& x : v) x = x * 0.9f + 0.01f * static_cast<float>(t);
        resumed.update();
    }
    for (std::size_t j = 0; j < 2; ++j)
        CHECK(std::memcmp(straight.shadow(j), resumed.shadow(j), m.values[j].size() * sizeof(float)) == 0);

    saved.pop_back();
    CHECK_THROWS_WITH(resumed.import_state(saved, "ck.safetensors"),
                      Catch::Contains("checkpoint ck.safetensors lacks 'ema.gen.b'"));
}

TEST_CASE("EMA options from the pipeline map", "[train][ema]") {
    const EmaOptions o = make_ema_options({{"decay", 0.995}, {"warmup", std::string("power")}}, "x.yaml, train.ema");
    CHECK(o.decay == 0.995);
    CHECK(o.warmup == EmaWarmup::power);
    CHECK_THROWS_WITH(make_ema_options({{"warmup", std::string("linear")}}, "x.yaml, train.ema"),
                      Catch::Contains("x.yaml, train.ema: key 'warmup' is 'linear', expected none, bias or power"));
    CHECK_THROWS_WITH(make_ema_options({{"decay", 1.5}}, "x.yaml, train.ema"),
                      Catch::Contains("x.yaml, train.ema: EMA: decay is 1.5, expected in [0, 1]"));
    CHECK_THROWS_WITH(make_ema_options({{"rate", 0.9}}, "x.yaml, train.ema"),
                      Catch::Contains("unknown key 'rate'"));
}
