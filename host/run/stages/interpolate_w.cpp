// interpolate_w: walks in W, the intermediate latent space of a style-based generator,
// between the ws of pairs of prior samples (linear, as the StyleGAN paper's perceptual
// path length does in W), with the same noise along each walk.
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "run/stages/style_checks.hpp"
#include "sample/latent.hpp"
#include "sample/styles.hpp"

namespace genhost::run {

namespace {

void check(const RunContext& run, Problems& problems) {
    const nlohmann::json& s = run.p["interpolate_w"];
    if (!check_style(run, "interpolate_w", problems)) return;
    check_grid(run, s["pairs"].get<int64_t>() * s["steps"].get<int64_t>(), {{"columns", s["steps"]}, {"padding", 2}},
               "interpolate_w", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["interpolate_w"];
    const int64_t pairs = s["pairs"].get<int64_t>(), steps = s["steps"].get<int64_t>();
    const sample::StyleSpace space(*run.model);
    const int64_t d = space.w_dim();
    const std::vector<float> ends = space.truncate(space.prior_ws(2 * pairs, run.services.seed + 4), s["psi"].get<float>());
    std::vector<float> ws;
    for (int64_t p = 0; p < pairs; ++p) {
        const std::vector<float> a(ends.begin() + 2 * p * d, ends.begin() + (2 * p + 1) * d);
        const std::vector<float> b(ends.begin() + (2 * p + 1) * d, ends.begin() + (2 * p + 2) * d);
        const auto row = sample::interpolate_codes(a, b, steps, "lerp");
        ws.insert(ws.end(), row.begin(), row.end());
    }
    run.save_grid(run.out / "interpolation_w.png", space.synthesize_same(ws, s["noise_seed"].get<uint64_t>()),
                  {{"columns", steps}, {"padding", 2}});
    run.say("interpolate_w: " + std::to_string(pairs) + " walks in W of " + std::to_string(steps) + " steps -> " +
            (run.out / "interpolation_w.png").string());
}

}  // namespace

extern const Stage interpolate_w_stage = {"interpolate_w", false,
                                          [](const nlohmann::json& p) { return has_section(p, "interpolate_w"); },
                                          check, run_stage};

}  // namespace genhost::run
