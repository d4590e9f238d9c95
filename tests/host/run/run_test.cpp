// Whole runs through the genhost program, with the test plugins: the training engine's
// promises as a user sees them.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <cmath>

#include <nlohmann/json.hpp>

#include "checkpoint/safetensors.hpp"
#include "image/png.hpp"
#include "support/genhost_run.hpp"

namespace fs = std::filesystem;
namespace ck = genhost::checkpoint;
using namespace genhost::testing::run;

namespace {


const char* const kMean =
    "seed: 3\n"
    "data: {dataset: shapes, size: 256, batch_size: 16, image_size: 12}\n"
    "model: {plugin: mean-image, params: {noise: 0.1}}\n"
    "train:\n"
    "  steps: 24\n"
    "  optimizer: {type: adam, lr: 0.05}\n"
    "  lr_schedule: {type: cosine, total_steps: 24, warmup_steps: 4}\n"
    "  ema: {decay: 0.9}\n"
    "  grad_clip: 1.0\n"
    "  log_every: 4\n"
    "  checkpoint_every: 4\n"
    "sample: {count: 8}\n";

// A GAN-like model: 10 steps of 5 discriminator phases and 1 generator phase.
const char* const kTwoPlayer =
    "data: {dataset: shapes, size: 64, batch_size: 8}\n"
    "model: {plugin: two-player}\n"
    "train:\n"
    "  steps: 10\n"
    "  phases: {discriminator: 5, generator: 1}\n"
    "  log_every: 5\n";

}  // namespace

TEST_CASE("a training run writes its log, checkpoint, samples and resolved pipeline", "[run]") {
    auto d = dir("outputs");
    auto r = run_genhost("run " + pipeline(d, kMean).string() + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    for (const char* f : {"train_log.csv", "checkpoint.safetensors", "samples.png", "samples.npy", "pipeline.resolved.yaml"})
        CHECK(fs::exists(d / "out" / f));
    std::istringstream log(read(d / "out" / "train_log.csv"));
    std::string header, line;
    std::getline(log, header);
    CHECK(header == "step,epoch,fit.mse,lr,grad_norm,images_per_s,seconds");
    int rows = 0;
    while (std::getline(log, line)) ++rows;
    CHECK(rows == 6);
    auto t = tensors(d / "out" / "checkpoint.safetensors");
    CHECK(t.count("model.mean"));
    CHECK(t.count("ema.model.mean"));
    CHECK(t.count("optimizer.model.exp_avg.mean"));
    CHECK(t.count("trainer.step"));
    auto c = ck::Checkpoint::read((d / "out" / "checkpoint.safetensors").string());
    CHECK(c.metadata().at("plugin.id") == "org.genhost.test.mean-image");
    CHECK(read(d / "out" / "samples.npy").size() == 128 + 8 * 1 * 12 * 12 * 4);
}

TEST_CASE("sample.count 0 skips the sample stage but not the progress grids", "[run]") {
    auto d = dir("count0");
    auto r = run_genhost("run " + pipeline(d, kMean).string() + " --output " + (d / "out").string() +
                         " --set sample.count=0 --set train.sample_every=12");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(!fs::exists(d / "out" / "samples.png"));
    CHECK(fs::exists(d / "out" / "progress" / "step_000012.png"));
}

TEST_CASE("the same pipeline and seed give byte-identical checkpoints and samples", "[run][determinism]") {
    auto a = dir("same-a"), b = dir("same-b");
    std::string yaml = std::string(kMean) + "output: out\n";
    REQUIRE(run_genhost("run " + pipeline(a, kMean).string() + " --threads 1 --output " + (a / "out").string()).code == 0);
    REQUIRE(run_genhost("run " + pipeline(b, kMean).string() + " --threads 1 --output " + (b / "out").string()).code == 0);
    CHECK(tensors(a / "out" / "checkpoint.safetensors") == tensors(b / "out" / "checkpoint.safetensors"));
    CHECK(read(a / "out" / "samples.npy") == read(b / "out" / "samples.npy"));
    auto c = run_genhost("run " + pipeline(b, kMean).string() + " --seed 4 --output " + (b / "other").string());
    REQUIRE(c.code == 0);
    CHECK(read(a / "out" / "samples.npy") != read(b / "other" / "samples.npy"));
}

TEST_CASE("N steps then --resume for N more equals 2N straight steps", "[run][resume]") {
    auto straight = dir("straight"), split = dir("split");
    REQUIRE(run_genhost("run " + pipeline(straight, kMean).string() + " --output " + (straight / "out").string()).code == 0);
    auto p = pipeline(split, kMean).string();
    REQUIRE(run_genhost("run " + p + " --set train.steps=12 --output " + (split / "out").string()).code == 0);
    auto r = run_genhost("run " + p + " --resume --output " + (split / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(tensors(straight / "out" / "checkpoint.safetensors") == tensors(split / "out" / "checkpoint.safetensors"));
}

TEST_CASE("a run killed with SIGKILL resumes from its last checkpoint to the same result", "[run][resume]") {
    auto straight = dir("kill-straight"), killed = dir("kill");
    const std::string slow = std::string(kMean) + "";
    auto p = pipeline(killed, kMean).string();
    REQUIRE(run_genhost("run " + pipeline(straight, kMean).string() + " --output " + (straight / "out").string()).code == 0);

    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(kGenhost.c_str(), kGenhost.c_str(), "run", p.c_str(), "--output", (killed / "out").c_str(), "--set",
              "model.params.delay_ms=15", "--plugin-path", (std::string(GENHOST_BINARY_DIR) + "/tests/plugins/good").c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // Kill it mid-run, once a checkpoint exists.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!fs::exists(killed / "out" / "checkpoint.safetensors") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(70));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    auto step = ck::Checkpoint::read((killed / "out" / "checkpoint.safetensors").string()).metadata().at("trainer.step");
    CHECK(std::stoi(step) < 24);

    // The same pipeline and options as the killed run.
    auto r = run_genhost("run " + p + " --resume --set model.params.delay_ms=15 --output " + (killed / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(tensors(straight / "out" / "checkpoint.safetensors") == tensors(killed / "out" / "checkpoint.safetensors"));
    // Every step logged once, in order: rows past the last checkpoint were dropped, then redone.
    std::istringstream log(read(killed / "out" / "train_log.csv"));
    std::string line;
    std::vector<int> steps;
    std::getline(log, line);
    while (std::getline(log, line)) steps.push_back(std::stoi(line.substr(0, line.find(','))));
    CHECK(steps == std::vector<int>{4, 8, 12, 16, 20, 24});
}

TEST_CASE("resume refuses a pipeline changed in what shapes the result, and allows a longer run", "[run][resume]") {
    auto d = dir("resume-changed");
    auto p = pipeline(d, kMean).string();
    REQUIRE(run_genhost("run " + p + " --set train.steps=8 --output " + (d / "out").string()).code == 0);
    auto seed = run_genhost("run " + p + " --resume --seed 99 --output " + (d / "out").string());
    CHECK(seed.code == 1);
    CHECK_THAT(seed.output, Catch::Contains("the pipeline differs from the run") && Catch::Contains("seed: was 3, now 99"));
    auto lr = run_genhost("run " + p + " --resume --set train.optimizer.lr=0.1 --output " + (d / "out").string());
    CHECK_THAT(lr.output, Catch::Contains("train/optimizer/lr: was 0.05, now 0.1"));
    CHECK(run_genhost("run " + p + " --resume --set train.log_every=2 --output " + (d / "out").string()).code == 0);
}

TEST_CASE("a cosine schedule spans the run in each group's own optimizer steps", "[run]") {
    auto d = dir("cosine-repeats");
    auto r = run_genhost("run " + pipeline(d, std::string(kTwoPlayer) +
                                                  "  optimizer: {type: sgd, lr: 0.1}\n"
                                                  "  lr_schedule: {type: cosine}\n")
                                      .string() +
                         " --output " + (d / "out").string());
    REQUIRE(r.code == 0);
    std::istringstream log(read(d / "out" / "train_log.csv"));
    std::string header, row;
    std::getline(log, header);
    std::getline(log, row);  // step 5: halfway through both groups' schedules
    std::vector<std::string> cells;
    std::stringstream cs(row);
    for (std::string c; std::getline(cs, c, ',');) cells.push_back(c);
    // The rate used by each group's last update: the discriminator's 25th of 50 steps
    // (t = 24), the generator's 5th of 10 (t = 4): 0.1 * (1 + cos(pi t / T)) / 2. Counted in
    // iterations instead, the discriminator's rate would already be 0.
    CHECK(std::stod(cells[5]) == Approx(0.05 * (1 + std::cos(M_PI * 24 / 50))).epsilon(1e-4));
    CHECK(std::stod(cells[6]) == Approx(0.05 * (1 + std::cos(M_PI * 4 / 10))).epsilon(1e-4));
}

TEST_CASE("a NaN gradient stops the run naming step, phase and parameter, and keeps the last checkpoint", "[run][nan]") {
    auto d = dir("nan");
    auto r = run_genhost("run " + pipeline(d, kMean).string() + " --set model.params.nan_at_step=9 --output " +
                     (d / "out").string());
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("step 10, phase fit: gradient of 'mean' is NaN"));
    auto c = ck::Checkpoint::read((d / "out" / "checkpoint.safetensors").string());
    CHECK(c.metadata().at("trainer.step") == "8");
}

TEST_CASE("a two-phase model follows the phase schedule and calls after_update", "[run][phases]") {
    auto d = dir("phases");
    auto r = run_genhost("run " + pipeline(d, std::string(kTwoPlayer) +
                                       "  optimizers:\n"
                                       "    discriminator: {type: sgd, lr: 0.1}\n"
                                       "    generator: {type: sgd, lr: 0.1}\n")
                                  .string() +
                     " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto log = read(d / "out" / "train_log.csv");
    CHECK_THAT(log, Catch::StartsWith("step,epoch,discriminator.d_loss,generator.g_loss,generator.gap,"
                                      "lr.discriminator,lr.generator,grad_norm.discriminator,grad_norm.generator,"));
    auto c = ck::Checkpoint::read((d / "out" / "checkpoint.safetensors").string());
    float updates = 0;
    c.copy_to("model.updates", ck::Dtype::F32, {1}, &updates, sizeof updates);
    CHECK(updates == 60.0f);  // after_update after each of 10 * (5 + 1) phase calls
    // The discriminator's optimizer took 50 steps, the generator's 10.
    float d_steps = 0, g_steps = 0;
    c.copy_to("optimizer.discriminator.step", ck::Dtype::F32, {}, &d_steps, sizeof d_steps);
    c.copy_to("optimizer.generator.step", ck::Dtype::F32, {}, &g_steps, sizeof g_steps);
    CHECK(d_steps == 50.0f);
    CHECK(g_steps == 10.0f);
    // d converges towards 1 and g follows it.
    float dv = 0;
    c.copy_to("model.d", ck::Dtype::F32, {1}, &dv, sizeof dv);
    CHECK(dv == Approx(1.0f).margin(1e-3));
}

TEST_CASE("train errors name the pipeline key: unknown phase, group or optimizer", "[run]") {
    auto d = dir("bad-train");
    auto p = pipeline(d, "data: {dataset: shapes, size: 32}\nmodel: {plugin: two-player}\ntrain: {steps: 1}\n").string();
    CHECK_THAT(run_genhost("run " + p + " --set train.phases.critic=5").output,
               Catch::Contains("train.phases.critic: plugin 'org.genhost.test.two-player' has no phase 'critic' (its "
                               "phases: discriminator, generator)"));
    CHECK_THAT(run_genhost("run " + p + " --set train.optimizers.gen={type:adam}").output,
               Catch::Contains("train.optimizers.gen: plugin 'org.genhost.test.two-player' has no parameter group 'gen'"));
    CHECK_THAT(run_genhost("run " + p + " --set train.optimizer.type=adamm").output, Catch::Contains("adamm"));
    CHECK_THAT(run_genhost("run " + p + " --resume --output " + (d / "none").string()).output,
               Catch::Contains("there is no checkpoint to resume"));
}

TEST_CASE("a sampling-only pipeline loads a trained checkpoint", "[run]") {
    auto d = dir("sample-only");
    REQUIRE(run_genhost("run " + pipeline(d, kMean).string() + " --output " + (d / "trained").string()).code == 0);
    std::ofstream(d / "s.yaml") << "model: {plugin: mean-image, checkpoint: " << (d / "trained" / "checkpoint.safetensors").string()
                                << "}\nsample: {count: 4}\n";
    auto r = run_genhost("run " + (d / "s.yaml").string() + " --output " + (d / "sampled").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("weights loaded from"));
    CHECK(read(d / "sampled" / "samples.npy").size() == 128 + 4 * 12 * 12 * 4);  // the checkpoint's 12x12 shape

    // Params omitted: the checkpoint's are used; given and different: the error lists them.
    std::ofstream(d / "p.yaml") << "model: {plugin: mean-image, checkpoint: " << (d / "trained" / "checkpoint.safetensors").string()
                                << ", params: {noise: 0.5}}\nsample: {count: 4}\n";
    CHECK_THAT(run_genhost("run " + (d / "p.yaml").string()).output,
               Catch::Contains("p.yaml:1:") && Catch::Contains("model.params disagree with the checkpoint") &&
                   Catch::Contains("noise: the pipeline says 0.5, the checkpoint 0.1") &&
                   Catch::Contains("remove them from model.params to use the checkpoint's"));
    // One key by --set is a param written too (it was once ignored, the run using the
    // checkpoint's while pipeline.resolved.yaml said otherwise).
    CHECK_THAT(run_genhost("run " + (d / "s.yaml").string() + " --set model.params.noise=0.5").output,
               Catch::Contains("--set") && Catch::Contains("noise: the pipeline says 0.5, the checkpoint 0.1"));
    // Some params written, agreeing: the rest (noise, not its default 0) are the checkpoint's,
    // and the resolved pipeline says so, so it runs again as it is.
    std::ofstream(d / "q.yaml") << "model: {plugin: mean-image, checkpoint: " << (d / "trained" / "checkpoint.safetensors").string()
                                << ", params: {init: 0.5}}\nsample: {count: 4}\n";
    r = run_genhost("run " + (d / "q.yaml").string() + " --output " + (d / "q").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    std::ifstream resolved(d / "q" / "pipeline.resolved.yaml");
    const std::string text((std::istreambuf_iterator<char>(resolved)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, Catch::Contains("noise: 0.1"));
    CHECK(run_genhost("validate " + (d / "q" / "pipeline.resolved.yaml").string()).code == 0);
    // Trained further from it, the new checkpoint records the same params (not the defaults),
    // so a pipeline that samples it gets noise 0.1 again.
    std::ofstream(d / "f.yaml") << "data: {dataset: shapes, size: 64, batch_size: 16, image_size: 12}\n"
                                << "model: {plugin: mean-image, checkpoint: " << (d / "trained" / "checkpoint.safetensors").string()
                                << ", params: {init: 0.5}}\ntrain: {steps: 2, optimizer: {type: adam, lr: 0.05}}\n";
    r = run_genhost("run " + (d / "f.yaml").string() + " --output " + (d / "f").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    std::ofstream(d / "g.yaml") << "model: {plugin: mean-image, checkpoint: " << (d / "f" / "checkpoint.safetensors").string()
                                << "}\nsample: {count: 2}\n";
    r = run_genhost("run " + (d / "g.yaml").string() + " --output " + (d / "g").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(read(d / "g" / "pipeline.resolved.yaml"), Catch::Contains("noise: 0.1"));

    std::ofstream(d / "w.yaml") << "model: {plugin: two-player, checkpoint: " << (d / "trained" / "checkpoint.safetensors").string()
                                << "}\n";
    CHECK_THAT(run_genhost("run " + (d / "w.yaml").string()).output,
               Catch::Contains("was written for plugin 'org.genhost.test.mean-image', but the pipeline's model is "
                               "'org.genhost.test.two-player'"));
}

TEST_CASE("reconstruct and interpolate write grids of the right size", "[run][latent]") {
    auto d = dir("latent");
    auto r = run_genhost("run " + pipeline(d, std::string(kMean) +
                                                  "reconstruct: {count: 6, columns: 3}\n"
                                                  "interpolate: {pairs: 2, steps: 5, method: lerp}\n")
                                      .string() +
                         " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto size = [](const fs::path& png) {  // width and height from the IHDR chunk
        std::string b = read(png);
        auto be32 = [&](size_t at) {
            return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
                   (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
        };
        return std::make_pair(be32(16), be32(20));
    };
    // 12x12 images, padding 2: 3 columns x (2 rows of originals + 2 of reconstructions),
    // enlarged 6x by the automatic scale (images at least 64 pixels on a side).
    CHECK(size(d / "out" / "reconstructions.png") == std::make_pair(6 * (3u * 14 + 2), 6 * (4u * 14 + 2)));
    CHECK(size(d / "out" / "interpolation.png") == std::make_pair(6 * (5u * 14 + 2), 6 * (2u * 14 + 2)));
    auto again = run_genhost("run " + pipeline(d, std::string(kMean) + "reconstruct: {count: 6, columns: 3}\n", "scale1.yaml")
                                          .string() +
                             " --set sample.grid.scale=1 --output " + (d / "scale1").string());
    INFO(again.output);
    REQUIRE(again.code == 0);
    CHECK(size(d / "scale1" / "reconstructions.png") == std::make_pair(3u * 14 + 2, 4u * 14 + 2));
}

TEST_CASE("evaluate reports likelihood in nats and bits/dim, and anomaly AUROC for held-out classes", "[run][evaluate]") {
    auto d = dir("evaluate");
    auto r = run_genhost("run " + pipeline(d, std::string(kMean) +
                                                  "evaluate: {likelihood: {count: 200, iw_samples: 4}}\n")
                                      .string() +
                         " --set data.classes=[0,1] --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto report = nlohmann::json::parse(read(d / "out" / "metrics.json"));
    const double nats = report["likelihood"]["elbo_nats"];
    CHECK(report["likelihood"]["images"] == 200);
    CHECK(report["likelihood"]["elbo_bits_per_dim"].get<double>() == Approx(-nats / (144 * std::log(2.0))));
    // The mean of circles and squares explains them better than crosses, rings and triangles.
    CHECK(report["anomaly"]["auroc"].get<double>() > 0.6);
    std::istringstream csv(read(d / "out" / "anomaly_scores.csv"));
    std::string header;
    std::getline(csv, header);
    CHECK(header == "index,label,anomalous,score");
}

namespace {

std::vector<float> npy_floats(const fs::path& file) {
    std::string b = read(file);
    const size_t header = 10 + (uint8_t(b[8]) | (uint8_t(b[9]) << 8));
    std::vector<float> v((b.size() - header) / 4);
    std::memcpy(v.data(), b.data() + header, v.size() * 4);
    return v;
}

const char* const kOracle =
    "model: {plugin: oracle-denoiser, params: {value: 0.5}}\n"
    "scheduler: {plugin: ddpm, params: {num_train_timesteps: 1000}}\n"
    "data: {range: [-1, 1]}\n"
    "sample: {count: 3}\n";

}  // namespace

TEST_CASE("every scheduler, swapped by one --set, drives the host's loop to the oracle's image", "[run][diffusion]") {
    auto d = dir("schedulers");
    auto p = pipeline(d, kOracle).string();
    for (const char* name : {"ddpm", "ddim", "dpmpp-2m", "euler", "euler-ancestral", "heun"}) {
        INFO(name);
        auto r = run_genhost("run " + p + " --set sample.scheduler.plugin=" + name + " --set sample.steps=25 --output " +
                             (d / name).string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        for (float v : npy_floats(d / name / "samples.npy")) REQUIRE(v == Approx(0.5f).margin(2e-3));
    }
    for (const char* type : {"epsilon", "v_prediction", "sample"}) {
        INFO(type);
        auto r = run_genhost("run " + p + " --set model.params.prediction_type=" + type +
                             " --set scheduler.params.prediction_type=" + type + " --set sample.scheduler.plugin=ddim" +
                             " --output " + (d / type).string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        for (float v : npy_floats(d / type / "samples.npy")) REQUIRE(v == Approx(0.5f).margin(2e-3));
    }
}

TEST_CASE("sampling schedulers inherit the training schedule and must read the model's prediction type", "[run][diffusion]") {
    auto d = dir("inherit");
    auto p = pipeline(d, kOracle).string();
    auto r = run_genhost("validate " + p + " --set scheduler.params.beta_end=0.03 --set sample.scheduler.plugin=heun");
    REQUIRE(r.code == 0);
    // Written explicitly, a sampling scheduler's own schedule params win.
    auto own = run_genhost("run " + p + " --set 'sample.scheduler={plugin: heun, params: {beta_end: 0.012}}' --output " +
                           (d / "own").string());
    REQUIRE(own.code == 0);
    CHECK_THAT(read(d / "own" / "pipeline.resolved.yaml"), Catch::Contains("beta_end: 0.012"));
    auto inherited = run_genhost("run " + p + " --set scheduler.params.beta_end=0.03 --set sample.scheduler.plugin=heun" +
                                 " --output " + (d / "inherited").string());
    REQUIRE(inherited.code == 0);
    auto resolved = read(d / "inherited" / "pipeline.resolved.yaml");
    CHECK(resolved.find("beta_end: 0.03") != resolved.rfind("beta_end: 0.03"));  // in both schedulers

    auto mismatch = run_genhost("run " + p + " --set model.params.prediction_type=sample");
    CHECK(mismatch.code == 1);
    CHECK_THAT(mismatch.output, Catch::Contains("scheduler.params.prediction_type is \"epsilon\", but the model predicts "
                                                "'sample'; set scheduler.params.prediction_type: sample"));
}

TEST_CASE("a scheduler found only through --plugin-path works like a built-in one", "[run][diffusion]") {
    // linear-scheduler lives in tests/plugins/good, outside the program's plugin folder.
    auto d = dir("out-of-tree");
    auto r = run_genhost("run " + pipeline(d, kOracle).string() + " --set sample.scheduler.plugin=linear-scheduler" +
                         " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(npy_floats(d / "out" / "samples.npy").size() == 3 * 64);
}

TEST_CASE("sample.compare writes one grid per scheduler from the same noise and a timing table", "[run][diffusion]") {
    auto d = dir("compare");
    auto r = run_genhost("run " + pipeline(d, kOracle).string() +
                         " --set 'sample.compare=[ddim,{plugin: euler, params: {num_inference_steps: 10}}]'" +
                         " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(fs::exists(d / "out" / "samples_ddim.png"));
    CHECK(fs::exists(d / "out" / "samples_euler.png"));
    auto report = nlohmann::json::parse(read(d / "out" / "metrics.json"));
    CHECK(report["sample_compare"]["org.genhost.euler"]["steps"] == 10);
    CHECK(report["sample_compare"]["org.genhost.ddim"]["steps"] == 50);  // diffusers' default
    CHECK(report["sample_compare"]["org.genhost.ddpm"]["seconds"].get<double>() > 0);

    // sample.steps sets the steps of every sampler, compared ones included.
    auto seven = run_genhost("run " + pipeline(d, kOracle).string() + " --set sample.steps=7" +
                             " --set 'sample.compare=[ddim,{plugin: euler, params: {num_inference_steps: 10}}]'" +
                             " --output " + (d / "seven").string());
    REQUIRE(seven.code == 0);
    auto table = nlohmann::json::parse(read(d / "seven" / "metrics.json"))["sample_compare"];
    for (const char* id : {"org.genhost.ddpm", "org.genhost.ddim", "org.genhost.euler"}) CHECK(table[id]["steps"] == 7);
}

TEST_CASE("the test model trains on Fashion-MNIST from Debian's package", "[run][fashion-mnist]") {
    if (!fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
        WARN("dataset-fashion-mnist is not installed (scripts/setup.sh installs it); skipped");
        return;
    }
    auto d = dir("fashion");
    auto r = run_genhost("run " + pipeline(d,
                                           "data: {dataset: fashion-mnist, batch_size: 64, limit: 512}\n"
                                           "model: {plugin: mean-image}\n"
                                           "train: {steps: 10, optimizer: {type: adam, lr: 0.05}, log_every: 5}\n"
                                           "sample: {count: 4}\n")
                                      .string() +
                         " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("60000 images 1x28x28, 10 classes"));
    CHECK(fs::exists(d / "out" / "checkpoint.safetensors"));
    CHECK(npy_floats(d / "out" / "samples.npy").size() == 4 * 28 * 28);
}

TEST_CASE("inpaint keeps known pixels and fills the mask with the model's image", "[run][diffusion][inpaint]") {
    auto d = dir("inpaint");
    auto p = pipeline(d,
                      "model: {plugin: oracle-denoiser, params: {value: 0.5, size: 12}}\n"
                      "scheduler: {plugin: ddpm}\n"
                      "data: {dataset: shapes, image_size: 12, range: [-1, 1]}\n"
                      "sample: {count: 0, grid: {scale: 1}, scheduler: {plugin: ddim, params: {num_inference_steps: 10}}}\n"
                      "inpaint: {count: 2, mask: left, resample: 2, columns: 2}\n")
                 .string();
    auto r = run_genhost("run " + p + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(!fs::exists(d / "out" / "samples.png"));  // sample.count 0: the section only picks the sampler
    auto png = genhost::image::read_png((d / "out" / "inpainting.png").string());
    REQUIRE(png.width == 2 * 14 + 2);
    REQUIRE(png.height == 3 * 14 + 2);
    auto at = [&](int row, int col, int y, int x) { return png.samples[(2 + row * 14 + y) * png.width + 2 + col * 14 + x]; };
    for (int col = 0; col < 2; ++col)
        for (int y = 0; y < 12; ++y) {
            CHECK(int(at(1, col, y, 2)) == 191);                   // filled: 0.5 in [-1, 1]
            CHECK(int(at(1, col, y, 9)) == int(at(2, col, y, 9)));  // known: the original
        }
    auto euler = run_genhost("run " + p + " --set sample.scheduler.plugin=euler --output " + (d / "euler").string());
    CHECK_THAT(euler.output, Catch::Contains("inpainting needs ddpm or ddim"));
}
