// Learning-rate schedules against torch's schedulers (fixtures/schedules.json).
#include "test_support.hpp"
#include "train/lr_schedule.hpp"
#include "util/error.hpp"

using namespace genhost::train;
using namespace genhost::train::test;
using Catch::Contains;

TEST_CASE("schedules match the curves of torch LambdaLR CosineAnnealingLR StepLR and SequentialLR", "[train][lr]") {
    const nlohmann::json fx = load_fixture("schedules.json");
    for (const auto& c : fx["cases"]) {
        DYNAMIC_SECTION(c["type"].get<std::string>() << " " << c["options"].dump()) {
            const LrSchedule s = make_lr_schedule(c["type"].get<std::string>(), to_options(c["options"]), "fx");
            const double base  = c["base_lr"];
            const auto lrs     = c["lrs"].get<std::vector<double>>();
            for (std::size_t t = 0; t < lrs.size(); ++t) {
                INFO("step " << t);
                CHECK(lr_at(s, base, static_cast<std::int64_t>(t)) ==
                      Approx(lrs[t]).epsilon(1e-6).margin(1e-12));
            }
        }
    }
}

TEST_CASE("cosine stays at min_lr after total_steps and negative steps count as 0", "[train][lr]") {
    const LrSchedule s = make_lr_schedule("cosine", {{"total_steps", 10.0}, {"min_lr", 1e-4}}, "fx");
    CHECK(lr_at(s, 0.1, 10) == Approx(1e-4));
    CHECK(lr_at(s, 0.1, 11) == Approx(1e-4));
    CHECK(lr_at(s, 0.1, 1000000) == Approx(1e-4));
    CHECK(lr_at(s, 0.1, -5) == 0.1);
}

TEST_CASE("linear_decay holds base_lr for constant_steps, reaches 0 at total_steps and stays there", "[train][lr]") {
    const LrSchedule s = make_lr_schedule("linear_decay", {{"total_steps", 10.0}, {"constant_steps", 6.0}}, "fx");
    CHECK(lr_at(s, 0.1, 0) == 0.1);
    CHECK(lr_at(s, 0.1, 6) == 0.1);
    CHECK(lr_at(s, 0.1, 8) == Approx(0.05));
    CHECK(lr_at(s, 0.1, 10) == 0.0);
    CHECK(lr_at(s, 0.1, 1000) == 0.0);
}

TEST_CASE("bad schedule configurations name the place the problem and the fix", "[train][lr]") {
    const char* where = "vae.yaml:20, train.lr_schedule";
    CHECK_THROWS_WITH(make_lr_schedule("exponential", {}, where),
                      Contains("vae.yaml:20, train.lr_schedule: unknown learning-rate schedule 'exponential'; "
                               "the known schedules are constant, linear_warmup, cosine, step, linear_decay"));
    CHECK_THROWS_WITH(make_lr_schedule("cosine", {}, where),
                      Contains("missing key 'total_steps'; add e.g. 'total_steps: 10000'"));
    CHECK_THROWS_WITH(make_lr_schedule("cosine", {{"total_steps", 100.0}, {"warmup_steps", 100.0}}, where),
                      Contains("cosine needs total_steps > warmup_steps"));
    CHECK_THROWS_WITH(make_lr_schedule("step", {{"step_size", 2.5}}, where),
                      Contains("key 'step_size' is 2.5, expected a whole number"));
    CHECK_THROWS_WITH(make_lr_schedule("step", {{"step_size", 0.0}}, where),
                      Contains("step needs step_size >= 1, got 0"));
    CHECK_THROWS_WITH(make_lr_schedule("linear_warmup", {{"warmup", 10.0}}, where),
                      Contains("missing key 'warmup_steps'"));
    CHECK_THROWS_WITH(make_lr_schedule("linear_decay", {{"total_steps", 100.0}}, where),
                      Contains("missing key 'constant_steps'; add e.g. 'constant_steps: 5000'"));
    CHECK_THROWS_WITH(make_lr_schedule("linear_decay", {{"total_steps", 100.0}, {"constant_steps", 100.0}}, where),
                      Contains("linear_decay needs total_steps > constant_steps"));
    CHECK_THROWS_WITH(make_lr_schedule("constant", {{"gamma", 0.5}}, where),
                      Contains("unknown key 'gamma'; this takes no keys besides 'type'"));
}
