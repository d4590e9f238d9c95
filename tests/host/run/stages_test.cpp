// Every stage checks its options against the model before any stage runs, and
// `genhost validate` runs the same checks: what a run would refuse after an hour of
// training is refused at once, with the key and the fix, and nothing is written.
#include <catch2/catch.hpp>

#include "support/genhost_run.hpp"

using namespace genhost::testing::run;

namespace {

const char* const kTrainMean =
    "data: {dataset: shapes, size: 64, batch_size: 16, image_size: 12}\n"
    "model: {plugin: mean-image}\n"
    "train: {steps: 4, log_every: 2}\n";

// Runs `validate` and then `run` on the same text: both must refuse with `message`, and
// the run must not have created its directory.
void both_refuse(const std::string& name, const std::string& text, const std::string& message) {
    auto d = dir("stages/" + name);
    const auto file = pipeline(d, text + "output: " + (d / "out").string() + "\n");
    auto v = run_genhost("validate " + file.string());
    INFO(v.output);
    CHECK(v.code == 1);
    CHECK_THAT(v.output, Catch::Contains(message));
    auto r = run_genhost("run " + file.string() + " --quiet");
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains(message));
    CHECK_FALSE(fs::exists(d / "out"));
}

}  // namespace

TEST_CASE("stages refuse what the model cannot do before training starts", "[run][stages]") {
    both_refuse("labels", std::string(kTrainMean) + "sample: {count: 4, labels: [1]}\n",
                "sample.labels: plugin 'org.genhost.test.mean-image' is unconditional");
    both_refuse("reconstruct", "data: {dataset: shapes, size: 64}\nmodel: {plugin: two-player}\n"
                               "train: {steps: 2}\nreconstruct: {count: 4}\n",
                "cannot encode images");
    both_refuse("inpaint", std::string(kTrainMean) + "inpaint: {count: 4}\n", "is not a diffusion denoiser");
    both_refuse("sample-untrainable", "data: {dataset: shapes, size: 64}\nmodel: {plugin: two-player}\nsample: {count: 4}\n",
                "cannot draw samples");
    both_refuse("grid", std::string(kTrainMean) + "sample: {count: 5000, grid: {padding: 100000}}\n",
                "sample.grid: the grid would be");
    both_refuse("steps", std::string(kTrainMean) + "sample: {count: 4, steps: 20}\n", "sample.steps: is for diffusion samplers");
    both_refuse("optimizer",
                "data: {dataset: shapes, size: 64}\nmodel: {plugin: mean-image}\ntrain: {steps: 2, optimizer: {type: adagrad, lr: 1}}\n",
                "adagrad");
}

TEST_CASE("validate reports every stage's problem at once", "[run][stages]") {
    auto d = dir("stages/all");
    const auto file = pipeline(d, std::string(kTrainMean) + "sample: {count: 4000, labels: [1], steps: 3, grid: {padding: 900}}\n");
    auto v = run_genhost("validate " + file.string());
    INFO(v.output);
    CHECK(v.code == 1);
    CHECK_THAT(v.output, Catch::Contains("problems in") && Catch::Contains("sample.labels") &&
                             Catch::Contains("sample.steps") && Catch::Contains("sample.grid: the grid would be"));
}

TEST_CASE("train.evaluate_every needs metrics, and evaluate.features a component that embeds", "[run][stages]") {
    both_refuse("evaluate-every",
                "data: {dataset: shapes, size: 64}\nmodel: {plugin: mean-image}\ntrain: {steps: 4, evaluate_every: 2}\n",
                "train.evaluate_every: needs metrics to log");
    both_refuse("features", std::string(kTrainMean) + "evaluate: {metrics: [mean-pixel], features: judge}\n",
                "evaluate.features: no component named 'judge'");
    both_refuse("duplicate-metric", std::string(kTrainMean) + "evaluate: {metrics: [mean-pixel, mean-pixel]}\n",
                "two metrics report a value named 'mean_pixel'");
}

TEST_CASE("a missing checkpoint is named with its key before anything runs", "[run][stages]") {
    both_refuse("missing-checkpoint", "model: {plugin: mean-image, checkpoint: nowhere.safetensors}\nsample: {count: 2}\n",
                "nowhere.safetensors does not exist");
    both_refuse("missing-component", std::string(kTrainMean) + "components: {judge: {plugin: pixel-stats, checkpoint: none.st}}\n",
                "none.st does not exist");
}

TEST_CASE("a problem several stages find is reported once", "[run][stages]") {
    auto d = dir("stages/once");
    const auto file = pipeline(d, std::string(kTrainMean) + "sample: {count: 4, labels: [1]}\nevaluate: {metrics: [mean-pixel]}\n");
    auto v = run_genhost("validate " + file.string());
    INFO(v.output);
    CHECK(v.code == 1);
    const std::string needle = "sample.labels: plugin 'org.genhost.test.mean-image' is unconditional";
    const auto first = v.output.find(needle);
    REQUIRE(first != std::string::npos);
    CHECK(v.output.find(needle, first + 1) == std::string::npos);
}
