// The timesteps of a run and its initial noise scale, for every spacing.
#include <catch2/catch.hpp>

#include "harness.hpp"

using genhost::test::close;
using genhost::test::describe_mismatch;
using genhost::test::SchedulerUnderTest;

TEST_CASE("timesteps match diffusers' spacings for every scheduler", "[schedulers][timesteps]") {
    for (const auto& g : genhost::test::golden("timesteps.json")) {
        SchedulerUnderTest s(g["scheduler"], g["params"]);
        s.set_timesteps(g["n"]);
        auto t = s.timesteps();
        INFO(g["scheduler"] << " " << g["params"].dump() << " n=" << g["n"] << ": "
                            << describe_mismatch(t, g["timesteps"]));
        CHECK(close(t, g["timesteps"], 1e-6));
        if (g.contains("init_noise_sigma"))
            CHECK(s.init_noise_sigma() == Approx(g["init_noise_sigma"].get<double>()).epsilon(1e-6));
        else
            CHECK(s.init_noise_sigma() == 1.0f);
    }
}

TEST_CASE("trailing spacing gives exactly n timesteps where numpy.arange gives n + 1", "[schedulers][timesteps]") {
    // numpy.arange(1000, 0, -1000 / 61) has 62 entries, the last rounding to timestep -1.
    SchedulerUnderTest s("ddim", {{"timestep_spacing", "trailing"}});
    s.set_timesteps(61);
    auto t = s.timesteps();
    REQUIRE(t.size() == 61);
    CHECK(t.front() == 999.0f);
    CHECK(t.back() >= 0.0f);
}
