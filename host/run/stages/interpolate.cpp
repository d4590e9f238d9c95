// interpolate: walks through the latent space between pairs of test images (or of prior
// samples, for models that only decode).
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"

namespace genhost::run {

namespace {

void check(const RunContext& run, Problems& problems) {
    if (!run.model->latent())
        problems.add(run.at("interpolate") + ": plugin '" + run.model->id() +
                     "' has no latent space (genhost.latent/1); remove the interpolate section");
    const nlohmann::json& s = run.p["interpolate"];
    check_grid(run, s["pairs"].get<int64_t>() * s["steps"].get<int64_t>(), {{"columns", s["steps"]}, {"padding", 2}},
               "interpolate", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["interpolate"];
    const int64_t pairs = s["pairs"].get<int64_t>(), steps = s["steps"].get<int64_t>();
    sample::Images grid = sample::interpolations(*run.model, run.test_images(2 * pairs), pairs, steps,
                                                 s["method"].get<std::string>(), run.services.seed);
    run.save_grid(run.out / "interpolation.png", grid, {{"columns", steps}, {"padding", 2}});
    run.say("interpolate: " + std::to_string(pairs) + " walks of " + std::to_string(steps) + " steps (" +
            s["method"].get<std::string>() + ") -> " + (run.out / "interpolation.png").string());
}

}  // namespace

extern const Stage interpolate_stage = {"interpolate", true,
                                        [](const nlohmann::json& p) { return has_section(p, "interpolate"); }, check,
                                        run_stage};

}  // namespace genhost::run
