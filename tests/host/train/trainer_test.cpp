// The training loop through the genhost program with the test plugins: phases without
// data (ABI 1.2), EMA of chosen groups, and where a NaN stop says it happened.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "checkpoint/safetensors.hpp"
#include "support/genhost_run.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace ck = genhost::checkpoint;
using genhost::testing::run::kGenhost;
using genhost::testing::run::run_genhost;
using genhost::testing::run::tensors;

namespace {

fs::path pipeline(const std::string& name, const std::string& text) {
    fs::path d = genhost::testing::fresh_scratch_dir("train/" + name);
    std::ofstream(d / "p.yaml") << text;
    return d / "p.yaml";
}

float scalar(const ck::Checkpoint& c, const std::string& name) {
    float v = 0;
    c.copy_to(name, ck::Dtype::F32, {1}, &v, sizeof v);
    return v;
}

// 64 labelled shapes in batches of 8: 8 batches an epoch. Two discriminator phases (each a
// batch) and one generator phase (no batch) an iteration.
const char* const kGanLike =
    "seed: 5\n"
    "data: {dataset: shapes, size: 64, batch_size: 8, image_size: 8}\n"
    "model: {plugin: no-data-phase}\n"
    "train:\n"
    "  epochs: 2\n"
    "  phases: {discriminator: 2, generator: 1}\n"
    "  optimizer: {type: sgd, lr: 0.1}\n"
    "  log_every: 2\n"
    "  checkpoint_every: 2\n"
    "sample: {count: 2}\n";

// kGanLike with one more line in its train: section.
std::string with_train_key(const std::string& line) {
    std::string p = kGanLike;
    const std::string anchor = "  log_every: 2\n";
    return p.replace(p.find(anchor), anchor.size(), anchor + "  " + line + "\n");
}

}  // namespace

TEST_CASE("a phase without data draws no batch, gets batch.size, and epochs count only data phases",
          "[train][no-data]") {
    auto p = pipeline("no-data", kGanLike);
    auto out = p.parent_path() / "out";
    auto r = run_genhost("run " + p.string() + " --output " + out.string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto c = ck::Checkpoint::read((out / "checkpoint.safetensors").string());
    // 2 epochs = 16 batches at 2 a step: 8 steps (counting the generator phase: 6).
    CHECK(c.metadata().at("trainer.step") == "8");
    CHECK(scalar(c, "model.data_images") == 128.0f);      // 16 batches of 8, each drawn once
    CHECK(scalar(c, "model.generator_calls") == 8.0f);
    CHECK(scalar(c, "model.generator_size") == 8.0f);     // data.batch_size
    CHECK(scalar(c, "model.generator_images") == 0.0f);   // no images, no labels
    std::ifstream log(out / "train_log.csv");
    std::string line, last;
    while (std::getline(log, line)) last = line;
    CHECK_THAT(last, Catch::StartsWith("8,1,"));          // step 8 trained on the last batch of epoch 1 (from 0)
}

TEST_CASE("a run with a phase without data resumes to the same result as a straight run", "[train][no-data][resume]") {
    auto straight = pipeline("no-data-straight", kGanLike);
    auto split = pipeline("no-data-split", kGanLike);
    REQUIRE(run_genhost("run " + straight.string() + " --output " + (straight.parent_path() / "out").string()).code == 0);
    REQUIRE(run_genhost("run " + split.string() + " --set train.steps=3 --output " + (split.parent_path() / "out").string())
                .code == 0);
    auto r = run_genhost("run " + split.string() + " --set train.steps=8 --resume --output " +
                         (split.parent_path() / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(tensors(straight.parent_path() / "out" / "checkpoint.safetensors") ==
          tensors(split.parent_path() / "out" / "checkpoint.safetensors"));
}

TEST_CASE("train.ema.groups averages only the groups named, and an unknown group is an error naming the groups",
          "[train][ema]") {
    auto p = pipeline("ema-groups", with_train_key("ema: {decay: 0.9, groups: [generator]}"));
    auto out = p.parent_path() / "out";
    auto r = run_genhost("run " + p.string() + " --output " + out.string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto names = ck::Checkpoint::read((out / "checkpoint.safetensors").string()).names();
    auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
    CHECK(has("ema.generator.g"));
    CHECK(has("ema.generator.step"));
    CHECK_FALSE(has("ema.discriminator.d"));

    auto all = pipeline("ema-all", with_train_key("ema: {decay: 0.9}"));
    REQUIRE(run_genhost("run " + all.string() + " --output " + (all.parent_path() / "out").string()).code == 0);
    auto all_names = ck::Checkpoint::read((all.parent_path() / "out" / "checkpoint.safetensors").string()).names();
    CHECK(std::find(all_names.begin(), all_names.end(), "ema.discriminator.d") != all_names.end());

    auto bad = run_genhost("run " + p.string() + " --set train.ema.groups=[gen] --output " + (p.parent_path() / "bad").string());
    CHECK(bad.code != 0);
    CHECK_THAT(bad.output, Catch::Contains("train.ema.groups: plugin 'org.genhost.test.no-data-phase' has no parameter "
                                           "group 'gen' (its groups: discriminator, generator)"));
}

TEST_CASE("a NaN stop names the step as train_log.csv counts it, and the phase", "[train][nan]") {
    auto p = pipeline("nan-phase", kGanLike);
    auto out = p.parent_path() / "out";
    // batch.step 4 is the fifth step; checkpoints were written after steps 2 and 4.
    auto r = run_genhost("run " + p.string() + " --set model.params.nan_at_step=4 --output " + out.string());
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("step 5, phase generator: gradient of 'g' is NaN"));
    auto c = ck::Checkpoint::read((out / "checkpoint.safetensors").string());
    CHECK(c.metadata().at("trainer.step") == "4");
}
