// The scheduler toolkit as a third party includes it: <genhost/cpp/scheduler.hpp> alone,
// compiled with -pedantic -Werror, nothing to link. (tests/schedulers tests its math
// against the papers through the shipped plugins.)
#include <catch2/catch.hpp>

#include <cmath>

#include <genhost/cpp/scheduler.hpp>

using namespace genhost::schedulers;

TEST_CASE("the scheduler toolkit builds a schedule from the params it declares", "[sdk][scheduler]") {
    genhost::ParamSchema schema;
    add_schedule_params(schema, {0.00085, 0.012, "trailing", 25});
    const nlohmann::json properties = schema.json()["properties"];
    for (const char* key : {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas",
                            "rescale_betas_zero_snr", "prediction_type"})
        CHECK(properties.contains(key));  // every key a sampler must declare to inherit the schedule
    CHECK(properties["timestep_spacing"]["default"] == "trailing");

    NoiseScheduleConfig config;
    config.num_train_timesteps = 10;
    const std::vector<double> a = make_alphas_cumprod(config);
    REQUIRE(a.size() == 10);
    CHECK(a.front() == Approx(1.0 - 0.0001));
    config.rescale_betas_zero_snr = true;
    CHECK(make_alphas_cumprod(config).back() == Approx(0.0).margin(1e-12));  // zero terminal SNR
    CHECK(discrete_timesteps(10, 5, Spacing::trailing, 0) == std::vector<double>{9, 7, 5, 3, 1});
}

TEST_CASE("the scheduler toolkit names the fix when a prediction cannot be used", "[sdk][scheduler]") {
    CHECK_THROWS_WITH(parse_prediction("noise"), Catch::Contains("not one of epsilon, v_prediction, sample"));
    CHECK_THROWS_WITH(vp_terms(Prediction::epsilon, 0.0), Catch::Contains("use prediction_type v_prediction"));
    const VpTerms v = vp_terms(Prediction::v_prediction, 0.0);  // x0 = -v at zero SNR
    CHECK(v.x0_x == 0.0);
    CHECK(v.x0_out == -1.0);
}
