// Step throughput, measured on demand (hidden from CTest):
//   build/tests/scheduler_plugin_tests "[.speed]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>

#include "harness.hpp"

using genhost::test::SchedulerUnderTest;

TEST_CASE("step throughput on a 64x3x32x32 batch", "[.speed][schedulers]") {
    const std::vector<int64_t> shape = {64, 3, 32, 32};
    const size_t n = 64 * 3 * 32 * 32;
    std::vector<float> x(n, 0.3f), out(n, -0.2f);
    for (const char* name : {"ddpm", "ddim", "dpmpp-2m", "euler", "euler-ancestral", "heun"}) {
        SchedulerUnderTest s(name);
        s.set_timesteps(20);
        const uint32_t steps = static_cast<uint32_t>(s.timesteps().size());
        auto start = std::chrono::steady_clock::now();
        for (uint32_t i = 0; i < steps; ++i) {
            auto in = s.scale_model_input(i, x, shape);
            auto prev = s.step(i, out, in, i, shape);
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / steps;
        std::printf("%-16s %7.3f ms per step (%.0f Melem/s)\n", name, ms, n / ms / 1e3);
    }
}
