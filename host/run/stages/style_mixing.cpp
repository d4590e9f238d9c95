// style_mixing: the StyleGAN figure. Row sources down the left, column sources along the
// top; the image at (r, c) takes its coarse layers' styles from row r's source and its
// fine layers' from column c's, with the same noise everywhere. Shape and class should
// follow the row, texture and brightness the column.
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "run/stages/style_checks.hpp"
#include "sample/styles.hpp"

namespace genhost::run {

namespace {

// coarse_layers: null means the first half of the layers.
int64_t coarse_layers(const nlohmann::json& s, int64_t num_ws) {
    return s["coarse_layers"].is_null() ? num_ws / 2 : s["coarse_layers"].get<int64_t>();
}

void check(const RunContext& run, Problems& problems) {
    const nlohmann::json& s = run.p["style_mixing"];
    const int64_t rows = s["rows"].get<int64_t>(), columns = s["columns"].get<int64_t>();
    if (!check_style(run, "style_mixing", problems)) return;
    const int64_t layers = run.model->style_dims().num_ws;
    const int64_t coarse = coarse_layers(s, layers);
    if (coarse < 1 || coarse >= layers)
        problems.add(run.at("style_mixing.coarse_layers") + ": " + std::to_string(coarse) + " is not in [1, " +
                     std::to_string(layers - 1) + "]: plugin '" + run.model->id() + "' has " + std::to_string(layers) +
                     " style layers, and both parts need at least one");
    check_grid(run, (rows + 1) * (columns + 1), {{"columns", columns + 1}, {"padding", 2}}, "style_mixing", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["style_mixing"];
    const int64_t rows = s["rows"].get<int64_t>(), columns = s["columns"].get<int64_t>();
    const float psi = s["psi"].get<float>();
    const uint64_t noise = s["noise_seed"].get<uint64_t>();
    const sample::StyleSpace space(*run.model);
    const int64_t d = space.w_dim(), coarse = coarse_layers(s, space.num_ws());
    const std::vector<float> row_ws = space.truncate(space.prior_ws(rows, run.services.seed + 1), psi);
    const std::vector<float> col_ws = space.truncate(space.prior_ws(columns, run.services.seed + 2), psi);

    // The grid's ws, row-major over (rows + 1) x (columns + 1); the corner repeats the
    // first column source and is blanked after synthesis.
    std::vector<float> ws;
    auto add = [&](const float* a, const float* b) {
        const auto w = space.mix(a, b, coarse);
        ws.insert(ws.end(), w.begin(), w.end());
    };
    for (int64_t c = -1; c < columns; ++c) add(&col_ws[std::max<int64_t>(c, 0) * d], &col_ws[std::max<int64_t>(c, 0) * d]);
    for (int64_t r = 0; r < rows; ++r) {
        add(&row_ws[r * d], &row_ws[r * d]);
        for (int64_t c = 0; c < columns; ++c) add(&row_ws[r * d], &col_ws[c * d]);
    }
    sample::Images grid = space.synthesize(ws, noise);
    const int64_t pixels = grid.channels * grid.height * grid.width;
    std::fill(grid.data.begin(), grid.data.begin() + pixels, run.range().lo);
    run.save_grid(run.out / "style_mixing.png", grid, {{"columns", columns + 1}, {"padding", 2}});
    run.say("style_mixing: " + std::to_string(rows) + " x " + std::to_string(columns) + " (layers 0-" +
            std::to_string(coarse - 1) + " from the row, " + std::to_string(coarse) + "-" +
            std::to_string(space.num_ws() - 1) + " from the column) -> " + (run.out / "style_mixing.png").string());
}

}  // namespace

extern const Stage style_mixing_stage = {"style_mixing", false,
                                         [](const nlohmann::json& p) { return has_section(p, "style_mixing"); }, check,
                                         run_stage};

}  // namespace genhost::run
