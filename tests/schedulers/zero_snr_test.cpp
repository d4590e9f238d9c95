// rescale_betas_zero_snr (Lin et al. 2023) through the plugins, as the host uses them:
// DDPM and DDIM keep the schedule's last alphas_cumprod at 0 (pure noise, as diffusers),
// which the host accepts for the last entry only; the sigma samplers move it to 2^-24 so
// that sigma stays finite (as diffusers). A v-prediction oracle run from the noisiest
// timestep lands on x0; an epsilon prediction at zero SNR is refused with the fix.
#include <catch2/catch.hpp>

#include <cmath>

#include "harness.hpp"

using genhost::test::SchedulerUnderTest;

namespace {

const std::vector<int64_t> kShape = {1, 1, 2, 4};

// A perfect v-prediction denoiser of x0 for the VP input x_t (sigma samplers: x_t is the
// scaled model input) at timestep t, interpolating alphas_cumprod for fractional t.
std::vector<float> oracle_v(const std::vector<float>& alphas, const std::vector<float>& x_t, float t,
                            const std::vector<float>& x0) {
    const size_t lo = static_cast<size_t>(std::floor(t));
    const size_t hi = std::min(lo + 1, alphas.size() - 1);
    const double w = t - static_cast<double>(lo);
    const double a = (1 - w) * alphas[lo] + w * alphas[hi];
    std::vector<float> out(x_t.size());
    for (size_t k = 0; k < x_t.size(); ++k) {
        // v = sqrt(a) eps - sqrt(1 - a) x0 with eps = (x_t - sqrt(a) x0) / sqrt(1 - a)
        const double eps = (x_t[k] - std::sqrt(a) * x0[k]) / std::sqrt(1.0 - a);
        out[k] = static_cast<float>(std::sqrt(a) * eps - std::sqrt(1.0 - a) * x0[k]);
    }
    return out;
}

}  // namespace

TEST_CASE("zero terminal SNR: ddpm, ddim and euler sample from pure noise with v-prediction",
          "[schedulers][zero-snr]") {
    const std::vector<float> x0 = {0.5f, -0.25f, 0.75f, 0.0f, -0.5f, 0.1f, 0.3f, -0.8f};
    const std::vector<float> noise = {1.2f, -0.4f, 0.3f, -1.1f, 0.7f, 0.05f, -0.6f, 0.9f};
    for (const char* name : {"ddpm", "ddim", "euler"}) {
        SECTION(name) {
            SchedulerUnderTest s(name, {{"rescale_betas_zero_snr", true},
                                        {"prediction_type", "v_prediction"},
                                        {"timestep_spacing", "trailing"}});
            const auto a = s.alphas_cumprod();  // through the host's check
            if (std::string(name) == "euler")
                CHECK(a.back() == Approx(std::ldexp(1.0, -24)));
            else
                CHECK(a.back() == 0.0f);
            CHECK(a.front() > 0.99f);
            s.set_timesteps(10);
            const auto t = s.timesteps();
            REQUIRE(t.front() == Approx(999));  // trailing: the run starts at pure noise
            std::vector<float> x = noise;
            for (float& v : x) v *= s.init_noise_sigma();
            for (uint32_t i = 0; i < t.size(); ++i) {
                auto x_in = s.scale_model_input(i, x, kShape);
                x = s.step(i, oracle_v(a, x_in, t[i], x0), x, 500 + i, kShape);
            }
            for (size_t k = 0; k < x0.size(); ++k) CHECK(x[k] == Approx(x0[k]).margin(2e-3));
        }
    }
}

TEST_CASE("zero terminal SNR: an epsilon prediction at alphas_cumprod 0 is refused with the fix",
          "[schedulers][zero-snr]") {
    for (const char* name : {"ddpm", "ddim"}) {
        SchedulerUnderTest s(name, {{"rescale_betas_zero_snr", true}, {"timestep_spacing", "trailing"}});
        s.set_timesteps(10);
        std::string error;
        const std::vector<float> x(8, 0.5f);
        CHECK(s.try_step(0, x, x, kShape, kShape, error) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Catch::Contains("zero terminal SNR") && Catch::Contains("v_prediction"));
    }
}
