// Whole sampling runs, driven as the host drives them (scheduler.h), with an oracle
// denoiser that knows x0: its prediction is exact at every step, so every scheduler
// must land on x0 at the end. A second run after set_timesteps must repeat the first
// bit for bit: no state leaks between runs.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "harness.hpp"

using genhost::test::SchedulerUnderTest;

namespace {

const std::vector<int64_t> kShape = {2, 1, 4, 4};
constexpr size_t kCount = 32;

std::vector<float> image(uint32_t seed, float scale) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> v(kCount);
    for (float& x : v) x = std::clamp(normal(rng), -0.9f, 0.9f);
    return v;
}

std::vector<float> noise(uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> v(kCount);
    for (float& x : v) x = normal(rng);
    return v;
}

// What a perfect denoiser of `x0` answers for the VP input x_t at integer timestep t.
std::vector<float> oracle(const std::string& prediction, const std::vector<float>& alphas_cumprod,
                          const std::vector<float>& x_t, float t, const std::vector<float>& x0) {
    const double a = alphas_cumprod.at(static_cast<size_t>(t));
    std::vector<float> out(x_t.size());
    for (size_t k = 0; k < x_t.size(); ++k) {
        const double eps = (x_t[k] - std::sqrt(a) * x0[k]) / std::sqrt(1.0 - a);
        out[k] = static_cast<float>(prediction == "epsilon"        ? eps
                                    : prediction == "v_prediction" ? std::sqrt(a) * eps - std::sqrt(1.0 - a) * x0[k]
                                                                   : x0[k]);
    }
    return out;
}

// The host's loop (scheduler.h), seeds 1000 + i for the steps.
std::vector<float> sample(SchedulerUnderTest& s, uint32_t n, const std::string& prediction,
                          const std::vector<float>& x0, const std::vector<float>& start_noise) {
    s.set_timesteps(n);
    const auto t = s.timesteps();
    const auto a = s.alphas_cumprod();
    std::vector<float> x = start_noise;
    for (float& v : x) v *= s.init_noise_sigma();
    for (uint32_t i = 0; i < t.size(); ++i) {
        auto x_in = s.scale_model_input(i, x, kShape);
        auto out = oracle(prediction, a, x_in, t[i], x0);
        x = s.step(i, out, x, 1000 + i, kShape);
    }
    return x;
}

double max_error(const std::vector<float>& a, const std::vector<float>& b) {
    double m = 0;
    for (size_t k = 0; k < a.size(); ++k) m = std::max(m, std::fabs(double(a[k]) - b[k]));
    return m;
}

struct Setup {
    const char* scheduler;
    nlohmann::json params;  // integer timesteps, so the oracle reads alphas_cumprod exactly
    uint32_t steps;
};

const std::vector<Setup>& setups() {
    static const std::vector<Setup> s = {
        {"ddim", nlohmann::json::object(), 10},
        {"ddim", {{"eta", 1.0}}, 10},
        {"ddpm", nlohmann::json::object(), 20},
        {"dpmpp-2m", nlohmann::json::object(), 8},
        {"dpmpp-2m", {{"solver_type", "heun"}, {"final_sigmas_type", "sigma_min"}, {"lower_order_final", false}}, 16},
        {"euler", {{"timestep_spacing", "leading"}}, 10},
        {"euler-ancestral", {{"timestep_spacing", "trailing"}}, 10},
        {"heun", {{"timestep_spacing", "leading"}}, 6},
    };
    return s;
}

}  // namespace

TEST_CASE("deterministic DDIM with an exact epsilon model recovers x0", "[schedulers][loop]") {
    SchedulerUnderTest ddim("ddim", {{"eta", 0.0}});
    const auto x0 = image(1, 0.5f);
    const auto x = sample(ddim, 25, "epsilon", x0, noise(2));
    CHECK(max_error(x, x0) < 1e-5);
}

TEST_CASE("every scheduler lands on x0 when every prediction is exact", "[schedulers][loop]") {
    const auto x0 = image(3, 0.5f);
    for (const auto& setup : setups())
        for (const char* prediction : {"epsilon", "v_prediction", "sample"}) {
            nlohmann::json params = setup.params;
            params["prediction_type"] = prediction;
            SchedulerUnderTest s(setup.scheduler, params);
            const auto x = sample(s, setup.steps, prediction, x0, noise(4));
            INFO(setup.scheduler << " " << params.dump());
            // sigma_min as the final sigma stops just short of a clean image.
            const double tolerance = params.value("final_sigmas_type", "zero") == "sigma_min" ? 2e-2 : 1e-4;
            CHECK(max_error(x, x0) < tolerance);
        }
}

TEST_CASE("a second run after set_timesteps repeats the first bit for bit", "[schedulers][loop]") {
    const auto x0 = image(5, 0.5f), other = image(6, 0.5f);
    for (const auto& setup : setups()) {
        SchedulerUnderTest s(setup.scheduler, setup.params);
        const auto first = sample(s, setup.steps, "epsilon", x0, noise(7));
        sample(s, setup.steps + 3, "epsilon", other, noise(8));  // a different run in between
        const auto again = sample(s, setup.steps, "epsilon", x0, noise(7));
        INFO(setup.scheduler << " " << setup.params.dump());
        CHECK(first == again);
        // A fresh instance agrees too: the state lives in the instance, and it is reset.
        SchedulerUnderTest fresh(setup.scheduler, setup.params);
        CHECK(sample(fresh, setup.steps, "epsilon", x0, noise(7)) == first);
    }
}

TEST_CASE("stochastic steps are reproducible from their seed and differ between seeds", "[schedulers][loop]") {
    for (const char* name : {"ddpm", "euler-ancestral"}) {
        nlohmann::json params = nlohmann::json::object();
        SchedulerUnderTest s(name, params);
        s.set_timesteps(10);
        const auto x = noise(9), out = noise(10);
        auto a = s.step(3, out, x, 77, kShape), b = s.step(3, out, x, 77, kShape), c = s.step(3, out, x, 78, kShape);
        INFO(name);
        CHECK(a == b);
        CHECK(a != c);
    }
    SchedulerUnderTest ddim("ddim", {{"eta", 0.0}});
    ddim.set_timesteps(10);
    const auto x = noise(9), out = noise(10);
    CHECK(ddim.step(3, out, x, 1, kShape) == ddim.step(3, out, x, 2, kShape));  // eta = 0 ignores the seed
}

TEST_CASE("DDPM's step noise has the posterior variance", "[schedulers][loop]") {
    // With x_t = 0 and model output 0, the posterior mean is 0: prev_sample is pure noise
    // of standard deviation sqrt(beta~) (fixed_small).
    SchedulerUnderTest s("ddpm", {{"clip_sample", false}});
    s.set_timesteps(1000);
    const auto a = s.alphas_cumprod();
    const size_t n = 64 * 64 * 16;
    const double beta = 1.0 - double(a[500]) / a[499];
    const double expected_var = (1.0 - a[499]) / (1.0 - a[500]) * beta;
    auto prev = s.step(1000 - 1 - 500, std::vector<float>(n, 0.0f), std::vector<float>(n, 0.0f), 5, {16, 1, 64, 64});
    double sum = 0, squares = 0;
    for (float v : prev) sum += v, squares += double(v) * v;
    const double mean = sum / n, var = squares / n - mean * mean;
    CHECK(std::fabs(mean) < 4.0 * std::sqrt(expected_var / n));
    CHECK(var / expected_var == Approx(1.0).margin(0.05));  // standard error 0.011 at n = 65536
}
