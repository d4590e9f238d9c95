// The smoke comparison: the four family examples, reused as they are with tiny networks on
// the synthetic shapes (a few seconds of training each), then report.html rendered in
// headless Chromium: not blank, and every image loaded.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "image/png.hpp"
#include "support/genhost_run.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using genhost::testing::run_command;
using genhost::testing::run::read;

namespace {

const fs::path kExamples = fs::path(GENHOST_TEST_DATA_DIR) / ".." / "examples";

// The smoke comparison of the four example pipelines.
std::string smoke_comparison() {
    const std::string ex = fs::absolute(kExamples).lexically_normal().string() + "/";
    return "name: smoke\n"
           "threads: 1\n"
           "budget: {images: 512}\n"
           "seeds: [0]\n"
           "samples: 48\n"
           "fid_over_training: {points: 2, samples: 32, last: 2}\n"
           "sample_images: 16\n"
           "set: [data.dataset=shapes, data.size=256, evaluate.judge_steps=40, train.log_every=4]\n"
           "families:\n"
           "  vae:\n"
           "    pipeline: " + ex + "vae-conv.yaml\n"
           "    set: ['model.params.conv_channels=[4,8]', evaluate.likelihood.count=32, evaluate.likelihood.iw_samples=2,\n"
           "          reconstruct.count=8, interpolate.pairs=2, interpolate.steps=3]\n"
           "  gan:\n"
           "    pipeline: " + ex + "dcgan-fashion.yaml\n"
           "    set: [model.params.ngf=4, model.params.ndf=4, model.params.latent_dim=8, interpolate.pairs=2, interpolate.steps=3,\n"
           "          train.sample_every=0]\n"
           "  pixelcnn:\n"
           "    pipeline: " + ex + "gated-pixelcnn-fashion.yaml\n"
           "    set: [model.params.channels=4, model.params.layers=1, model.params.output_channels=8, evaluate.likelihood.count=32,\n"
           "          complete.count=2, complete.samples=1, sample.batch_size=48, data.batch_size=64]\n"
           "  diffusion:\n"
           "    pipeline: " + ex + "ddpm-fashion.yaml\n"
           "    set: [model.params.base_channels=8, model.params.attention_head_dim=8, 'model.params.channel_mult=[1,1]', 'model.params.attention_resolutions=[]',\n"
           "          evaluate.scheduler.params.num_inference_steps=4, data.batch_size=64]\n"
           "    samplers:\n"
           "      - {name: DDPM-20, plugin: ddpm, steps: 20}\n"
           "      - {name: DDIM-5, plugin: ddim, steps: 5}\n"
           "      - {name: DPM-Solver++ 4, plugin: dpmpp-2m, steps: 4}\n";
}

}  // namespace

TEST_CASE("the smoke comparison trains the four families and its report renders in headless Chromium") {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/smoke");
    std::ofstream(d / "smoke.yaml") << smoke_comparison();
    // A judge of its own for the shapes (trained once in this folder, 40 steps).
    const std::string env = "XDG_CACHE_HOME=" + (d / "cache").string() + " ";
    const std::string command = env + genhost::testing::genhost_program() + " compare " + (d / "smoke.yaml").string() +
                                " --output " + (d / "out").string();
    const auto r = run_command(command);
    INFO(r.output);
    REQUIRE(r.code == 0);

    const nlohmann::json report = nlohmann::json::parse(read(d / "out" / "report.json"));
    REQUIRE(report["families"].size() == 4);
    std::map<std::string, nlohmann::json> by_name;
    for (const auto& f : report["families"]) by_name[f["name"].get<std::string>()] = f;
    for (const auto& [name, f] : by_name) {
        INFO(name);
        CHECK(f["quality"]["fid"]["mean"].get<double>() >= 0);
        CHECK(f["efficiency"]["train_images_per_s"]["mean"].get<double>() > 0);
        CHECK(f["runs"][0]["fid_curve"].size() == 2);  // FID over training, every evaluate_every steps
        CHECK(f["stars"]["quality"].is_number());
        CHECK(fs::exists(f["efficiency"]["sampling"][0]["grid"].get<std::string>()));
    }
    CHECK(by_name["gan"]["images_per_step"] == 64);  // the generator's phase draws no data
    CHECK(by_name["gan"]["steps"] == 8);
    CHECK(by_name["pixelcnn"]["likelihood"]["label"] == "exact");
    CHECK(by_name["vae"]["likelihood"]["label"] == "bound");
    CHECK(by_name["gan"]["likelihood"]["label"] == "none");
    CHECK(by_name["diffusion"]["efficiency"]["sampling"].size() == 3);
    CHECK_THAT(read(d / "out" / "report.md"), Catch::Contains("| Sample quality |"));

    // Again, as `genhost run` (which hands a comparison to compare): every run is kept.
    const auto again = run_command(env + genhost::testing::genhost_program() + " run " + (d / "smoke.yaml").string() +
                                   " --output " + (d / "out").string());
    CHECK(again.code == 0);
    CHECK_THAT(again.output, Catch::Contains("[1/10] vae seed 0 (4 steps of 128 images): kept from an earlier run"));

    if (run_command("command -v chromium").code != 0) {
        WARN("chromium is missing (scripts/setup.sh installs it): report.html was not rendered");
        return;
    }
    const std::string chromium = "chromium --headless --disable-gpu --no-sandbox --user-data-dir=" + (d / "chromium").string() +
                                 " --window-size=1200,1600 ";
    const std::string url = "file://" + fs::absolute(d / "out" / "report.html").string();
    const auto shot = run_command(chromium + "--screenshot=" + (d / "shot.png").string() + " " + url);
    INFO(shot.output);
    REQUIRE(fs::exists(d / "shot.png"));
    const auto png = genhost::image::read_png((d / "shot.png").string());
    size_t dark = 0;
    for (uint16_t v : png.samples) dark += v < png.max_value() / 2;
    CHECK(dark > png.samples.size() / 200);  // text, tables and grids, not a white page
    const auto dom = run_command(chromium + "--virtual-time-budget=5000 --dump-dom " + url);
    const size_t images = 2 + by_name["diffusion"]["efficiency"]["sampling"].size() + 1;  // 6 grids
    CHECK_THAT(dom.output, Catch::Contains("data-images=\"" + std::to_string(images) + "/" + std::to_string(images) + "\""));
}

TEST_CASE("a sampler given to a family whose pipeline has no scheduler is refused before any run") {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/sampler-without-scheduler");
    std::ofstream(d / "c.yaml") << "families:\n  vae:\n    pipeline: " +
                                       fs::absolute(kExamples / "vae-conv.yaml").lexically_normal().string() +
                                       "\n    samplers: [{name: DDIM-5, plugin: ddim, steps: 5}]\n";
    const auto r = run_command(genhost::testing::genhost_program() + " compare " + (d / "c.yaml").string() + " --validate");
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("families.vae") && Catch::Contains("'DDIM-5' sets a scheduler, but the pipeline has none"));
    CHECK_FALSE(fs::exists(d / "runs"));
}

TEST_CASE("a budget smaller than one training step is refused, not overrun") {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/budget-below-a-step");
    std::ofstream(d / "c.yaml") << "budget: {images: 1}\nfamilies:\n  vae:\n    pipeline: " +
                                       fs::absolute(kExamples / "vae-conv.yaml").lexically_normal().string() + "\n";
    const auto r = run_command(genhost::testing::genhost_program() + " compare " + (d / "c.yaml").string() + " --validate");
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("budget.images 1 is less than one training step of 128 images"));
}

TEST_CASE("a sampler's params are checked against its scheduler before any run") {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/sampler-params");
    std::ofstream(d / "c.yaml") << "families:\n  diffusion:\n    pipeline: " +
                                       fs::absolute(kExamples / "ddpm-fashion.yaml").lexically_normal().string() +
                                       "\n    set: [data.dataset=shapes]"
                                       "\n    samplers: [{name: DPM-4, plugin: dpmpp-2m, steps: 4, params: {thresholdin: true}},"
                                       " {name: DPM-5, plugin: dpmpp-2m, steps: 5, params: {thresholding: true}}]\n";
    const auto r = run_command(genhost::testing::genhost_program() + " compare " + (d / "c.yaml").string() + " --validate");
    INFO(r.output);
    CHECK(r.code == 1);
    // At the sampler's line in the comparison file, in the sampler's own keys.
    CHECK_THAT(r.output, Catch::Contains("samplers: 'DPM-4' (" + (d / "c.yaml").string() + ":5:") &&
                             Catch::Contains("families.diffusion.samplers[0]): params.thresholdin: unknown parameter") &&
                             Catch::Contains("did you mean 'thresholding'"));
    CHECK_FALSE(fs::exists(d / "runs"));
}
