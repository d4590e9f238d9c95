// Single steps (and whole multistep / Heun runs) against the papers' formulas in
// make_golden.py, for each prediction_type and the main options of each scheduler.
// Outputs are float32 computed in double: 1e-6 relative holds with room to spare.
#include <catch2/catch.hpp>

#include "harness.hpp"

using genhost::test::close;
using genhost::test::describe_mismatch;
using genhost::test::SchedulerUnderTest;

namespace {

void run_case(const nlohmann::json& g) {
    SchedulerUnderTest s(g["scheduler"], g["params"]);
    s.set_timesteps(g["n"]);
    const std::vector<int64_t> shape = {2, 1, 1, 3};
    for (const auto& st : g["steps"]) {
        auto x = st["sample"].get<std::vector<float>>();
        auto out = st["model_output"].get<std::vector<float>>();
        const uint32_t i = st["step_index"];
        INFO(g["scheduler"] << " " << g["params"].dump() << " n=" << g["n"] << " step " << i);

        auto scaled = s.scale_model_input(i, x, shape);
        std::vector<double> expected_input;
        for (float v : x) expected_input.push_back(v * st["input_scale"].get<double>());
        INFO("model input " << describe_mismatch(scaled, expected_input));
        CHECK(close(scaled, expected_input, 1e-6));

        auto prev = s.step(i, out, x, st["seed"], shape);
        INFO("prev_sample " << describe_mismatch(prev, st["prev_sample"]));
        CHECK(close(prev, st["prev_sample"], 1e-6));
    }
}

void run_all(const std::string& scheduler) {
    int cases = 0;
    for (const auto& g : genhost::test::golden("steps.json"))
        if (g["scheduler"] == scheduler) run_case(g), ++cases;
    CHECK(cases > 0);
}

}  // namespace

TEST_CASE("DDPM steps match Ho et al. eq. 6-7, noise included", "[schedulers][steps]") { run_all("ddpm"); }
TEST_CASE("DDIM steps match Song et al. eq. 12 and 16", "[schedulers][steps]") { run_all("ddim"); }
TEST_CASE("Euler steps match Karras et al. Algorithm 1", "[schedulers][steps]") { run_all("euler"); }
TEST_CASE("Euler ancestral steps match k-diffusion's update", "[schedulers][steps]") { run_all("euler-ancestral"); }
TEST_CASE("Heun runs match Karras et al. Algorithm 1, predictor and corrector", "[schedulers][steps]") {
    run_all("heun");
}
TEST_CASE("DPM-Solver++(2M) runs match Lu et al. Algorithm 2", "[schedulers][steps]") { run_all("dpmpp-2m"); }
