// Bad input gets a clear message naming the parameter or the call, never a crash.
#include <catch2/catch.hpp>

#include <genhost/cpp/tensor_view.hpp>

#include "harness.hpp"

using Catch::Matchers::Contains;
using genhost::test::creation_error;
using genhost::test::SchedulerUnderTest;

TEST_CASE("bad params are refused at creation with the fix in the message", "[schedulers][errors]") {
    CHECK_THAT(creation_error("ddim", {{"trained_betas", {0.1, 0.2}}}),
               Contains("trained_betas has 2 values but num_train_timesteps is 1000"));
    CHECK_THAT(creation_error("ddpm", {{"beta_end", 1.0}}), Contains("check beta_start and beta_end"));
    CHECK_THAT(creation_error("euler", {{"beta_shedule", "linear"}}), Contains("did you mean 'beta_schedule'"));
    CHECK_THAT(creation_error("heun", {{"beta_schedule", "cosine"}}), Contains("is not one of"));
    CHECK_THAT(creation_error("ddim", {{"eta", 1.5}}), Contains("out of range"));
    CHECK(creation_error("ddim", {{"trained_betas", nullptr}}).empty());
}

TEST_CASE("set_timesteps refuses impossible runs", "[schedulers][errors]") {
    for (const char* name : {"ddpm", "ddim", "dpmpp-2m", "euler", "euler-ancestral", "heun"}) {
        SchedulerUnderTest s(name);
        INFO(name);
        CHECK_THROWS_WITH(s.set_timesteps(0), Contains("must be in [1, num_train_timesteps = 1000]"));
        CHECK_THROWS_WITH(s.set_timesteps(1001), Contains("lower num_inference_steps"));
    }
    SchedulerUnderTest offset("ddim", {{"steps_offset", 5}});
    CHECK_THROWS_WITH(offset.set_timesteps(1000), Contains("lower steps_offset"));
}

TEST_CASE("steps outside a run, or on mismatched tensors, fail with a status", "[schedulers][errors]") {
    const std::vector<int64_t> shape = {1, 1, 2, 2};
    const std::vector<float> x(4, 0.5f), out(4, 0.1f);
    std::string error;
    for (const char* name : {"ddpm", "ddim", "dpmpp-2m", "euler", "euler-ancestral", "heun"}) {
        INFO(name);
        SchedulerUnderTest s(name);
        CHECK(s.try_step(0, out, x, shape, shape, error) == GENHOST_ERROR_STATE);
        CHECK_THAT(error, Contains("call set_timesteps(n)"));
        s.set_timesteps(5);
        const uint32_t count = static_cast<uint32_t>(s.timesteps().size());
        CHECK(s.try_step(count, out, x, shape, shape, error) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Contains("past the run"));
        CHECK(s.try_step(0, out, x, shape, {1, 1, 4, 1}, error) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Contains("prev_sample has shape [1,1,4,1] but sample has shape [1,1,2,2]"));
    }
}

TEST_CASE("prev_sample may not alias the sample", "[schedulers][errors]") {
    SchedulerUnderTest s("euler");
    s.set_timesteps(5);
    std::vector<float> x(4, 0.5f), out(4, 0.1f);
    std::vector<int64_t> shape = {1, 1, 2, 2};
    DLTensor xt = genhost::make_dltensor(x.data(), shape), ot = genhost::make_dltensor(out.data(), shape);
    genhost_scheduler_step args{sizeof(genhost_scheduler_step), 0, &ot, &xt, 0};
    CHECK(s.table().step(s.raw(), &args, &xt) == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(s.last_error(), Contains("pass a separate output buffer"));
}

TEST_CASE("stateful solvers refuse steps out of order", "[schedulers][errors]") {
    const std::vector<int64_t> shape = {1, 1, 2, 2};
    const std::vector<float> x(4, 0.5f), out(4, 0.1f);
    std::string error;
    SchedulerUnderTest dpm("dpmpp-2m");
    dpm.set_timesteps(5);
    CHECK(dpm.try_step(1, out, x, shape, shape, error) == GENHOST_ERROR_STATE);
    CHECK_THAT(error, Contains("expects step 0 next"));

    SchedulerUnderTest heun("heun");
    heun.set_timesteps(5);
    CHECK(heun.try_step(1, out, x, shape, shape, error) == GENHOST_ERROR_STATE);
    CHECK_THAT(error, Contains("needs predictor step 0"));
    // A corrector never pairs with a predictor of a previous run.
    CHECK(heun.try_step(0, out, x, shape, shape, error) == GENHOST_OK);
    heun.set_timesteps(5);
    CHECK(heun.try_step(1, out, x, shape, shape, error) == GENHOST_ERROR_STATE);
}
