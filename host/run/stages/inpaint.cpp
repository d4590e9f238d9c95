// inpaint: diffusion only: fills masked regions of test images (RePaint), writing rows of
// masked input, result and original.
#include "data/rng.hpp"
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"

namespace genhost::run {

namespace {

// 1 where a pixel is known, 0 where it is to be filled.
std::vector<float> inpaint_mask(const std::string& kind, int64_t n, int64_t c, int64_t h, int64_t w, uint64_t seed) {
    std::vector<float> m(static_cast<size_t>(n * c * h * w), 1.0f);
    data::Rng rng(seed);
    for (int64_t i = 0; i < n; ++i) {
        std::vector<float> plane(static_cast<size_t>(h * w), 1.0f);
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                bool fill = kind == "center" ? (y >= h / 4 && y < h - h / 4 && x >= w / 4 && x < w - w / 4)
                          : kind == "left"   ? x < w / 2
                          : kind == "bottom" ? y >= h / 2
                                             : false;
                if (fill) plane[static_cast<size_t>(y * w + x)] = 0.0f;
            }
        if (kind == "random")
            for (int64_t by = 0; by < h; by += 4)
                for (int64_t bx = 0; bx < w; bx += 4)
                    if (rng.uniform() < 0.5f)
                        for (int64_t y = by; y < std::min(h, by + 4); ++y)
                            for (int64_t x = bx; x < std::min(w, bx + 4); ++x) plane[static_cast<size_t>(y * w + x)] = 0;
        for (int64_t ch = 0; ch < c; ++ch) std::copy(plane.begin(), plane.end(), m.begin() + (i * c + ch) * h * w);
    }
    return m;
}

void check(const RunContext& run, Problems& problems) {
    if (!run.model->denoiser()) {
        problems.add(run.at("inpaint") + ": plugin '" + run.model->id() +
                     "' is not a diffusion denoiser; inpainting needs one; remove the inpaint section");
        return;
    }
    const sample::SampleSpec spec = run.sample_spec();
    if (!spec.scheduler) {
        problems.add(run.at("inpaint") + ": needs a scheduler: section (ddpm or ddim)");
        return;
    }
    if (const float sigma = spec.scheduler->init_noise_sigma(); sigma != 1.0f)
        problems.add(run.at("inpaint") + ": scheduler '" + spec.scheduler->id() + "' samples in sigma space (init_noise_sigma " +
                     std::to_string(sigma) + "); inpainting needs ddpm or ddim (set sample.scheduler)");
    check_sampling(run, "inpaint", problems);
    const int64_t count = run.p["inpaint"]["count"].get<int64_t>();
    check_grid(run, 3 * count, {{"columns", run.p["inpaint"]["columns"]}, {"padding", 2}}, "inpaint", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["inpaint"];
    sample::SampleSpec spec = run.sample_spec();
    sample::LabelledImages x = run.test_images(s["count"].get<int64_t>());
    const sample::Images& im = x.images;
    sample::InpaintGuide guide;
    guide.known = im.data.data();
    std::vector<float> mask =
        inpaint_mask(s["mask"].get<std::string>(), im.n, im.channels, im.height, im.width, run.services.seed);
    guide.mask = mask.data();
    guide.resample = s["resample"].get<int64_t>();
    guide.alphas_cumprod = spec.scheduler->alphas_cumprod();
    spec.count = im.n;
    spec.labels = x.labels;
    spec.inpaint = &guide;
    sample::Images result = sample::draw(*run.model, spec);

    // Rows of `columns`: the masked input (unknown pixels mid-gray), the result, the original.
    const int64_t columns = s["columns"].get<int64_t>(), per = im.channels * im.height * im.width;
    const image::ValueRange r = run.range();
    sample::Images grid{0, im.channels, im.height, im.width, {}};
    for (int64_t first = 0; first < im.n; first += columns) {
        const int64_t n = std::min(columns, im.n - first);
        for (int64_t k = first * per; k < (first + n) * per; ++k)
            grid.data.push_back(mask[k] > 0 ? im.data[k] : 0.5f * (r.lo + r.hi));
        grid.data.insert(grid.data.end(), result.data.begin() + first * per, result.data.begin() + (first + n) * per);
        grid.data.insert(grid.data.end(), im.data.begin() + first * per, im.data.begin() + (first + n) * per);
        grid.n += 3 * n;
    }
    run.save_grid(run.out / "inpainting.png", grid, {{"columns", columns}, {"padding", 2}});
    run.say("inpaint: rows of masked input, result and original -> " + (run.out / "inpainting.png").string());
}

}  // namespace

extern const Stage inpaint_stage = {"inpaint", true, [](const nlohmann::json& p) { return has_section(p, "inpaint"); },
                                    check, run_stage};

}  // namespace genhost::run
