// truncation: the truncation trick, w' = w_avg + psi (w - w_avg), swept. One row per
// prior sample, one column per psi: psi = 1 is the sample itself, 0 the average image,
// negative values its "opposite"; smaller |psi| trades variety for typical images.
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "run/stages/style_checks.hpp"
#include "sample/styles.hpp"

namespace genhost::run {

namespace {

void check(const RunContext& run, Problems& problems) {
    const nlohmann::json& s = run.p["truncation"];
    if (!check_style(run, "truncation", problems)) return;
    const int64_t columns = static_cast<int64_t>(s["psi"].size());
    check_grid(run, s["rows"].get<int64_t>() * columns, {{"columns", columns}, {"padding", 2}}, "truncation", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["truncation"];
    const int64_t rows = s["rows"].get<int64_t>();
    const auto psis = s["psi"].get<std::vector<float>>();
    const sample::StyleSpace space(*run.model);
    const std::vector<float> w = space.prior_ws(rows, run.services.seed + 3);
    const int64_t d = space.w_dim();
    std::vector<float> ws;
    for (int64_t r = 0; r < rows; ++r) {
        const std::vector<float> one(w.begin() + r * d, w.begin() + (r + 1) * d);
        for (float psi : psis) {
            const auto t = space.truncate(one, psi);
            ws.insert(ws.end(), t.begin(), t.end());
        }
    }
    const int64_t columns = static_cast<int64_t>(psis.size());
    run.save_grid(run.out / "truncation.png", space.synthesize_same(ws, s["noise_seed"].get<uint64_t>()),
                  {{"columns", columns}, {"padding", 2}});
    std::string list;
    for (float psi : psis) list += (list.empty() ? "" : ", ") + nlohmann::json(psi).dump();
    run.say("truncation: " + std::to_string(rows) + " samples at psi " + list + " -> " +
            (run.out / "truncation.png").string());
}

}  // namespace

extern const Stage truncation_stage = {"truncation", false,
                                       [](const nlohmann::json& p) { return has_section(p, "truncation"); }, check,
                                       run_stage};

}  // namespace genhost::run
