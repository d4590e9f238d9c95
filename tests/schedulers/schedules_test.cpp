// alphas_cumprod through the plugins: the training schedule the host hands the denoiser.
#include <catch2/catch.hpp>

#include <cmath>

#include "harness.hpp"

using genhost::test::close;
using genhost::test::describe_mismatch;
using genhost::test::SchedulerUnderTest;

TEST_CASE("alphas_cumprod matches the papers' schedules for every beta_schedule", "[schedulers][schedule]") {
    for (const auto& g : genhost::test::golden("schedules.json")) {
        SchedulerUnderTest ddpm("ddpm", g["params"]);
        auto a = ddpm.alphas_cumprod();
        REQUIRE(a.size() == static_cast<size_t>(g["params"].value("num_train_timesteps", 1000)));
        std::vector<float> got;
        for (size_t i : g["indices"].get<std::vector<size_t>>()) got.push_back(a[i]);
        INFO(g["params"].dump() << ": " << describe_mismatch(got, g["alphas_cumprod"]));
        CHECK(close(got, g["alphas_cumprod"], 1e-6));
    }
}

TEST_CASE("every scheduler builds the same schedule from the same params", "[schedulers][schedule]") {
    const nlohmann::json params = {{"beta_schedule", "scaled_linear"}, {"beta_start", 0.00085}, {"beta_end", 0.012}};
    auto reference = SchedulerUnderTest("ddpm", params).alphas_cumprod();
    for (const char* name : {"ddim", "dpmpp-2m", "euler", "euler-ancestral", "heun"})
        CHECK(SchedulerUnderTest(name, params).alphas_cumprod() == reference);
}

TEST_CASE("with zero terminal SNR the sigma samplers keep the last sigma finite", "[schedulers][schedule]") {
    const nlohmann::json params = {{"rescale_betas_zero_snr", true}, {"prediction_type", "v_prediction"}};
    CHECK(SchedulerUnderTest("ddim", params).alphas_cumprod().back() == 0.0f);
    for (const char* name : {"dpmpp-2m", "euler", "euler-ancestral", "heun"})
        CHECK(SchedulerUnderTest(name, params).alphas_cumprod().back() == std::ldexp(1.0f, -24));
}
