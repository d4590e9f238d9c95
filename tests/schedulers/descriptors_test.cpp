// What each scheduler plugin says about itself: id, kind, features, and diffusers'
// parameter names and defaults (so diffusers' documentation applies).
#include <catch2/catch.hpp>

#include <algorithm>

#include "harness.hpp"

using genhost::test::SchedulerUnderTest;

namespace {

nlohmann::json default_of(const SchedulerUnderTest& s, const std::string& param) {
    const auto& properties = s.description().params_schema.at("properties");
    REQUIRE(properties.contains(param));
    return properties.at(param).at("default");
}

bool has_feature(const SchedulerUnderTest& s, const std::string& feature) {
    const auto& f = s.description().features;
    return std::find(f.begin(), f.end(), feature) != f.end();
}

}  // namespace

TEST_CASE("every scheduler is a scheduler plugin with the shared diffusers params", "[schedulers][descriptor]") {
    for (const char* name : {"ddpm", "ddim", "dpmpp-2m", "euler", "euler-ancestral", "heun"}) {
        SchedulerUnderTest s(name);
        INFO(name);
        CHECK(s.description().id == std::string("org.genhost.") + name);
        CHECK(s.description().kind == "scheduler");
        CHECK(has_feature(s, "diffusion"));
        CHECK(default_of(s, "num_train_timesteps") == 1000);
        CHECK(default_of(s, "beta_schedule") == "linear");
        CHECK(default_of(s, "trained_betas").is_null());
        CHECK(default_of(s, "prediction_type") == "epsilon");
        CHECK(default_of(s, "steps_offset") == 0);
        CHECK(default_of(s, "rescale_betas_zero_snr") == false);
        CHECK(default_of(s, "num_inference_steps").get<int>() > 0);
    }
}

TEST_CASE("per-scheduler defaults are diffusers'", "[schedulers][descriptor]") {
    SchedulerUnderTest ddpm("ddpm"), ddim("ddim"), dpm("dpmpp-2m"), euler("euler"), ancestral("euler-ancestral"),
        heun("heun");
    CHECK(default_of(ddpm, "variance_type") == "fixed_small");
    CHECK(default_of(ddpm, "clip_sample") == true);
    CHECK(default_of(ddpm, "timestep_spacing") == "leading");
    CHECK(default_of(ddim, "eta") == 0.0);
    CHECK(default_of(ddim, "set_alpha_to_one") == true);
    CHECK(default_of(ddim, "timestep_spacing") == "leading");
    CHECK(default_of(dpm, "timestep_spacing") == "linspace");
    CHECK(default_of(dpm, "final_sigmas_type") == "zero");
    CHECK(default_of(dpm, "lower_order_final") == true);
    CHECK(default_of(dpm, "solver_type") == "midpoint");
    CHECK(default_of(euler, "use_karras_sigmas") == false);
    CHECK(default_of(euler, "timestep_spacing") == "linspace");
    CHECK(default_of(ancestral, "timestep_spacing") == "linspace");
    CHECK(default_of(heun, "beta_start") == 0.00085);
    CHECK(default_of(heun, "beta_end") == 0.012);
    CHECK(default_of(heun, "clip_sample") == false);

    CHECK(has_feature(ddpm, "stochastic"));
    CHECK(has_feature(ancestral, "stochastic"));
    CHECK(has_feature(euler, "deterministic"));
    CHECK(has_feature(dpm, "multistep"));
    CHECK(has_feature(heun, "second-order"));
}
