// The shared schedule math against make_golden.py: betas, Karras sigmas, sigma -> t.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <genhost/cpp/scheduler/noise_schedule.hpp>
#include <genhost/cpp/scheduler/sigmas.hpp>
#include "harness.hpp"

using namespace genhost::schedulers;
using genhost::test::close;
using genhost::test::describe_mismatch;

namespace {

NoiseScheduleConfig config_from(const nlohmann::json& p) {
    NoiseScheduleConfig c;
    c.num_train_timesteps = p.value("num_train_timesteps", 1000);
    c.beta_start = p.value("beta_start", 0.0001);
    c.beta_end = p.value("beta_end", 0.02);
    c.beta_schedule = p.value("beta_schedule", "linear");
    if (p.contains("trained_betas")) c.trained_betas = p["trained_betas"].get<std::vector<double>>();
    c.rescale_betas_zero_snr = p.value("rescale_betas_zero_snr", false);
    return c;
}

std::vector<float> pick(const std::vector<double>& v, const std::vector<size_t>& indices) {
    std::vector<float> out;
    for (size_t i : indices) out.push_back(static_cast<float>(v[i]));
    return out;
}

}  // namespace

TEST_CASE("betas match the papers' schedules", "[schedulers][schedule]") {
    for (const auto& g : genhost::test::golden("schedules.json")) {
        NoiseScheduleConfig c = config_from(g["params"]);
        std::vector<double> betas = make_betas(c);
        if (c.rescale_betas_zero_snr) betas = rescale_zero_terminal_snr(betas);
        auto indices = g["indices"].get<std::vector<size_t>>();
        auto got = pick(betas, indices);
        auto expected = g["betas"].get<std::vector<double>>();
        INFO(g["params"].dump() << ": " << describe_mismatch(got, expected));
        CHECK(close(got, expected, 1e-6));
    }
}

TEST_CASE("the sigma schedule of the Euler family, with and without Karras sigmas", "[schedulers][sigmas]") {
    for (const auto& g : genhost::test::golden("sigmas.json")["euler_family"]) {
        const auto& p = g["params"];
        NoiseScheduleConfig c = config_from(p);
        SigmaRun run = euler_family_run(make_alphas_cumprod(c), g["n"], parse_spacing(p["timestep_spacing"]), 0,
                                        p["use_karras_sigmas"]);
        auto sigmas = std::vector<float>(run.sigmas.begin(), run.sigmas.end());
        auto timesteps = std::vector<float>(run.timesteps.begin(), run.timesteps.end());
        INFO(p.dump());
        INFO("sigmas " << describe_mismatch(sigmas, g["sigmas"]));
        CHECK(close(sigmas, g["sigmas"], 1e-6));
        INFO("timesteps " << describe_mismatch(timesteps, g["timesteps"]));
        CHECK(close(timesteps, g["timesteps"], 1e-6));
    }
}

TEST_CASE("Karras sigmas follow eq. 5 of Karras et al. 2022", "[schedulers][sigmas]") {
    const auto g = genhost::test::golden("sigmas.json")["karras"];
    auto s = karras_sigmas(g["sigma_min"], g["sigma_max"], g["n"]);
    auto got = std::vector<float>(s.begin(), s.end());
    INFO(describe_mismatch(got, g["sigmas"]));
    CHECK(close(got, g["sigmas"], 1e-6));
}

TEST_CASE("sigma_to_timestep interpolates log sigma and clamps at the ends", "[schedulers][sigmas]") {
    std::vector<double> table = training_sigmas(make_alphas_cumprod(NoiseScheduleConfig{}));
    std::vector<double> log_sigmas(table.size());
    for (size_t t = 0; t < table.size(); ++t) log_sigmas[t] = std::log(table[t]);
    for (const auto& g : genhost::test::golden("sigmas.json")["sigma_to_t"]) {
        INFO("sigma " << g["sigma"]);
        CHECK(sigma_to_timestep(g["sigma"], log_sigmas) == Approx(g["t"].get<double>()).epsilon(1e-9).margin(1e-9));
    }
}
