// complete: autoregressive models only: keeps the known pixels of test images and samples
// the rest in raster order, writing rows of masked input, completions and original.
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "sample/autoregressive.hpp"

namespace genhost::run {

namespace {

// 1 where a pixel is known, 0 where it is to be sampled; the same for every channel.
std::vector<float> completion_mask(const std::string& kind, int64_t n, int64_t c, int64_t h, int64_t w) {
    std::vector<float> m(static_cast<size_t>(n * c * h * w), 1.0f);
    for (int64_t i = 0; i < n * c; ++i)
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                const bool fill = kind == "bottom"         ? y >= h / 2
                                  : kind == "right"        ? x >= w / 2
                                  : kind == "bottom_right" ? y >= h / 2 && x >= w / 2
                                                           : y >= h / 4 && y < h - h / 4 && x >= w / 4 && x < w - w / 4;
                if (fill) m[static_cast<size_t>((i * h + y) * w + x)] = 0.0f;
            }
    return m;
}

void check(const RunContext& run, Problems& problems) {
    if (!run.model->autoregressive() || run.model->generator()) {
        problems.add(run.at("complete") + ": plugin '" + run.model->id() +
                     "' is not autoregressive (genhost.autoregressive/1); completion needs one; remove the complete "
                     "section (diffusion models have inpaint)");
        return;
    }
    check_sampling(run, "complete", problems);
    const nlohmann::json& s = run.p["complete"];
    const int64_t count = s["count"].get<int64_t>(), columns = s["columns"].get<int64_t>();
    const int64_t rows_per_group = s["samples"].get<int64_t>() + 2;
    check_grid(run, rows_per_group * count, {{"columns", columns}, {"padding", 2}}, "complete", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["complete"];
    const int64_t samples = s["samples"].get<int64_t>(), columns = s["columns"].get<int64_t>();
    sample::LabelledImages x = run.test_images(s["count"].get<int64_t>());
    const sample::Images& im = x.images;
    const int64_t per = im.channels * im.height * im.width;
    const std::vector<float> mask = completion_mask(s["mask"].get<std::string>(), im.n, im.channels, im.height, im.width);

    // Completion j of image i is image j * n + i of one draw, each with its own seed.
    std::vector<float> known, tiled_mask;
    std::vector<int64_t> labels;
    for (int64_t j = 0; j < samples; ++j) {
        known.insert(known.end(), im.data.begin(), im.data.end());
        tiled_mask.insert(tiled_mask.end(), mask.begin(), mask.end());
        labels.insert(labels.end(), x.labels.begin(), x.labels.end());
    }
    sample::CompletionGuide guide{known.data(), tiled_mask.data()};
    sample::SampleSpec spec = run.sample_spec();
    spec.count = samples * im.n;
    spec.labels = labels;
    spec.complete = &guide;
    sample::Images result = sample::draw(*run.model, spec);

    const image::ValueRange r = run.range();
    sample::Images grid{0, im.channels, im.height, im.width, {}};
    auto add = [&](const std::vector<float>& from, int64_t first, int64_t n) {
        grid.data.insert(grid.data.end(), from.begin() + first * per, from.begin() + (first + n) * per);
        grid.n += n;
    };
    for (int64_t first = 0; first < im.n; first += columns) {
        const int64_t n = std::min(columns, im.n - first);
        for (int64_t k = first * per; k < (first + n) * per; ++k)
            grid.data.push_back(mask[size_t(k)] > 0 ? im.data[size_t(k)] : 0.5f * (r.lo + r.hi));
        grid.n += n;
        for (int64_t j = 0; j < samples; ++j) add(result.data, j * im.n + first, n);
        add(im.data, first, n);
    }
    run.save_grid(run.out / "completion.png", grid, {{"columns", columns}, {"padding", 2}});
    run.say("complete: rows of masked input, " + std::to_string(samples) + " completions and original -> " +
            (run.out / "completion.png").string());
}

}  // namespace

extern const Stage complete_stage = {"complete", true, [](const nlohmann::json& p) { return has_section(p, "complete"); },
                                     check, run_stage};

}  // namespace genhost::run
