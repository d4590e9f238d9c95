// sample: draws `sample.count` images into samples.png and samples.npy; with
// sample.compare, the same noise through other schedulers, one grid each, timed.
#include <chrono>

#include "image/npy_write.hpp"
#include "run/context.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"

namespace genhost::run {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void compare(RunContext& run, sample::SampleSpec spec, double main_seconds) {
    const nlohmann::json& s = run.p["sample"];
    auto& table = run.report["sample_compare"];
    if (spec.scheduler)
        table[spec.scheduler->id()] = {{"seconds", main_seconds}, {"steps", spec.steps}, {"grid", "samples.png"}};
    for (const auto& entry : s["compare"]) {
        auto sched = run.create(entry, nullptr);
        spec.scheduler = sched.get();
        spec.steps = run.sampling_steps(entry, *sched);
        const auto start = std::chrono::steady_clock::now();
        sample::Images images = sample::draw(*run.model, spec);
        const double seconds = seconds_since(start);
        const std::string name = sched->id().substr(sched->id().rfind('.') + 1);
        run.save_grid(run.out / ("samples_" + name + ".png"), images, s["grid"]);
        table[sched->id()] = {{"seconds", seconds}, {"steps", spec.steps}, {"grid", "samples_" + name + ".png"}};
        run.say("sample: " + name + ", " + std::to_string(spec.steps) + " steps, " + std::to_string(seconds) + " s -> " +
                (run.out / ("samples_" + name + ".png")).string());
    }
}

bool active(const nlohmann::json& p) { return p.contains("sample") && p["sample"]["count"].get<int64_t>() > 0; }

void check(const RunContext& run, Problems& problems) {
    check_sampling(run, "sample", problems);
    check_grid(run, run.p["sample"]["count"].get<int64_t>(), run.p["sample"]["grid"], "sample.grid", problems,
               /*samples=*/true);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["sample"];
    sample::SampleSpec spec = run.sample_spec();
    const auto start = std::chrono::steady_clock::now();
    sample::Images images = run.draw(spec);  // decoded by sample.decode_with
    const double seconds = seconds_since(start);
    image::write_npy_f32((run.out / "samples.npy").string(), images.data.data(),
                         {images.n, images.channels, images.height, images.width});
    run.save_grid(run.out / "samples.png", images, s["grid"], run.image_range());
    // The time to draw them (without loading or writing), for comparisons (host/compare/).
    run.report["sample"] = {{"images", images.n}, {"seconds", seconds}};
    if (spec.scheduler) run.report["sample"]["scheduler"] = spec.scheduler->id(), run.report["sample"]["steps"] = spec.steps;
    run.say("sample: " + std::to_string(images.n) + " images in " + std::to_string(seconds) + " s -> " +
            (run.out / "samples.png").string() + ", " + (run.out / "samples.npy").string());
    if (!s["compare"].empty()) compare(run, spec, seconds);
}

}  // namespace

extern const Stage sample_stage = {"sample", false, active, check, run_stage};

}  // namespace genhost::run
