// The genhost program as a user meets it: help, version, listing, validation errors.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

genhost::testing::CommandResult run_genhost(const std::string& args) {
    return genhost::testing::run_command(genhost::testing::genhost_program() + " " + args);
}

const std::string kGood = "--plugin-path " + std::string(GENHOST_BINARY_DIR) + "/tests/plugins/good";

fs::path write(const std::string& name, const std::string& text) {
    fs::path dir = genhost::testing::scratch_dir("cli");
    std::ofstream(dir / name) << text;
    return dir / name;
}

}  // namespace

TEST_CASE("help and version answer and exit 0", "[cli]") {
    auto help = run_genhost("--help");
    CHECK(help.code == 0);
    CHECK_THAT(help.output, Catch::Contains("run PIPELINE.yaml") && Catch::Contains("validate PIPELINE.yaml"));
    auto version = run_genhost("--version");
    CHECK(version.code == 0);
    CHECK_THAT(version.output, Catch::StartsWith("genhost 1.") && Catch::Contains("plugin ABI 1.2"));
    for (const char* command : {"run", "validate", "plugins", "info"}) {
        auto r = run_genhost(std::string(command) + " --help");
        CHECK(r.code == 0);
        CHECK_THAT(r.output, Catch::Contains(std::string("Usage: genhost ") + command));
    }
}

TEST_CASE("usage errors exit 2 and say what is wrong", "[cli]") {
    auto unknown = run_genhost("frobnicate");
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.output, Catch::Contains("unknown command 'frobnicate'"));
    auto option = run_genhost("run --bogus x.yaml");
    CHECK(option.code == 2);
    CHECK_THAT(option.output, Catch::Contains("bogus"));
    CHECK(run_genhost("").code == 2);
}

TEST_CASE("plugins lists ids, kinds and files, as a table and as JSON", "[cli]") {
    auto r = run_genhost("plugins " + kGood);
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("org.genhost.test.mean-image") && Catch::Contains("scheduler") &&
                             Catch::Contains("com.example.mean-pixel") && Catch::Contains("metric") &&
                             Catch::Contains("test_models.so"));
    auto j = run_genhost("plugins --json " + kGood);
    CHECK(j.code == 0);
    auto parsed = nlohmann::json::parse(j.output);
    CHECK(parsed["plugins"].size() >= 5);
}

TEST_CASE("info shows the parameter table with defaults and ranges", "[cli]") {
    auto r = run_genhost("info mean-image " + kGood);
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("Mean image (test) (org.genhost.test.mean-image 1.0.0)") &&
                             Catch::Contains("noise  (number, default 0.0, [0.0, inf))") &&
                             Catch::Contains("standard deviation of the noise"));
    auto missing = run_genhost("info mean-imag " + kGood);
    CHECK(missing.code == 1);
    CHECK_THAT(missing.output, Catch::Contains("did you mean 'mean-image'?"));
}

TEST_CASE("validate catches a misspelled key with a did-you-mean, before any work", "[cli]") {
    auto file = write("typo.yaml", "name: t\nmodel: {plugin: mean-image}\ndata:\n  batchsize: 8\n");
    auto r = run_genhost("validate " + file.string() + " " + kGood);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("typo.yaml:4:3: data.batchsize: unknown key; did you mean 'batch_size'?"));

    auto good = write("good.yaml", "name: t\nmodel: {plugin: mean-image}\n");
    auto ok = run_genhost("validate " + good.string() + " " + kGood);
    CHECK(ok.code == 0);
    CHECK_THAT(ok.output, Catch::Contains("is valid: model org.genhost.test.mean-image"));
    auto set = run_genhost("validate " + good.string() + " " + kGood + " --set model.params.noise=-1");
    CHECK(set.code == 1);
    CHECK_THAT(set.output, Catch::Contains("--set model.params.noise=-1: model.params.noise: -1 is out of range"));
}

TEST_CASE("validate lists the stages a run will do, in order", "[cli]") {
    auto all = write("stages.yaml", "name: t\nmodel: {plugin: mean-image}\ndata: {dataset: shapes}\ntrain: {steps: 1}\n"
                                    "evaluate: {}\nreconstruct: {}\nsample: {count: 4}\n");
    auto r = run_genhost("validate " + all.string() + " " + kGood);
    CHECK_THAT(r.output, Catch::Contains("stages: train, sample, reconstruct, evaluate;"));
    // train.steps 0 and sample.count 0 keep their sections (weights, sampler choice) but not the stage.
    auto none = run_genhost("validate " + all.string() + " " + kGood + " --set train.steps=0 --set sample.count=0");
    CHECK_THAT(none.output, Catch::Contains("stages: reconstruct, evaluate;"));
    // ... and a comparison that could never run is refused, not dropped.
    auto compare = write("compare0.yaml", "name: t\nmodel: {plugin: mean-image}\nsample: {count: 0, compare: [linear-scheduler]}\n");
    auto refused = run_genhost("validate " + compare.string() + " " + kGood);
    CHECK(refused.code == 1);
    CHECK_THAT(refused.output, Catch::Contains("compare0.yaml:3:") && Catch::Contains("sample.compare: never runs: sample.count is 0"));
}

TEST_CASE("broken plugins are reported and the others still listed", "[cli]") {
    auto r = run_genhost("plugins " + kGood + " --plugin-path " + std::string(GENHOST_BINARY_DIR) + "/tests/plugins/broken");
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("org.genhost.test.mean-image") && Catch::Contains("not loaded:") &&
                             Catch::Contains("wrong_major.so: built for genhost ABI 2.0.0"));
}

TEST_CASE("check exercises every plugin through the ABI and passes the good ones", "[cli][check]") {
    auto r = run_genhost("check --all " + kGood);
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("org.genhost.test.mean-image") &&
                             Catch::Contains("ok    every phase trains on a batch of 2 with finite losses and gradients") &&
                             Catch::Contains("ok    a 10-step run: timesteps, steps, and a reset that repeats it"));
    CHECK(r.output.find("FAIL") == std::string::npos);
    auto missing = run_genhost("check");
    CHECK(missing.code == 2);
}

TEST_CASE("check fails each broken contract with a message naming the mistake", "[cli][check]") {
    const std::string broken = "--plugin-path " + std::string(GENHOST_BINARY_DIR) + "/tests/plugins/broken";
    const std::pair<const char*, std::vector<const char*>> cases[] = {
        {"check-keeps-history", {"FAIL  a 10-step run", "a run of 1 image after a run of 2 gave image 0 a different result",
                                 "set_timesteps must reset all per-run state"}},
        {"check-skips-element", {"FAIL  a 10-step run", "step 0 of 10 left element 15 of prev_sample (16 elements) unwritten",
                                 "NaN the host pre-filled"}},
        {"check-ascending", {"FAIL  set_timesteps(10) lists timesteps", "timesteps are not in descending order: timesteps[1]"}},
        {"check-short-alphas", {"FAIL  alphas_cumprod has num_train_timesteps entries",
                                "alphas_cumprod[99] unwritten", "num_train_timesteps is 100"}},
        {"check-short-table", {"FAIL  capability tables", "extension genhost.scheduler/1 has struct_size 40, smaller than ABI 1.0's 72"}},
        {"check-null-step", {"FAIL  capability tables", "NULL required slots: step"}},
        {"check-silent-metric", {"FAIL  update with real and generated images",
                                 "compute left value 0 ('first') unwritten"}},
    };
    for (const auto& [id, expected] : cases) {
        auto r = run_genhost(std::string("check ") + id + " " + broken);
        INFO(id << "\n" << r.output);
        CHECK(r.code == 1);
        for (const char* text : expected) CHECK_THAT(r.output, Catch::Contains(text));
    }
    // The working scheduler these break passes: the checks fail the mistake, not the toy.
    auto good = run_genhost("check " + kGood + " multistep-scheduler linear-scheduler mean-pixel");
    INFO(good.output);
    CHECK(good.code == 0);
}

TEST_CASE("new writes a project with every file, and refuses bad names and existing folders", "[cli][new]") {
    const fs::path dir = genhost::testing::fresh_scratch_dir("cli-new");
    for (const char* lang : {"c", "c++"}) {
        const fs::path project = dir / (std::string("my-sampler-") + (lang[1] ? "cpp" : "c"));
        auto r = run_genhost(std::string("new scheduler my-sampler --lang ") + lang + " --dir " + project.string());
        INFO(r.output);
        CHECK(r.code == 0);
        const std::string source = std::string("my_sampler.") + (lang[1] ? "cpp" : "c");
        for (const std::string file : {"CMakeLists.txt", "pipeline.yaml", "README.md", source.c_str()})
            CHECK(fs::file_size(project / file) > 0);
        std::ifstream in(project / source);
        const std::string code((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK_THAT(code, Catch::Contains("com.example.my-sampler") && Catch::Contains("[instance-serialized]"));
        CHECK(code.find('@') == std::string::npos);  // every placeholder filled in
    }
    auto again = run_genhost("new scheduler my-sampler --dir " + (dir / "my-sampler-c").string());
    CHECK(again.code == 1);
    CHECK_THAT(again.output, Catch::Contains("already exists"));
    auto kind = run_genhost("new sampler x");
    CHECK(kind.code == 2);
    CHECK_THAT(kind.output, Catch::Contains("scheduler, metric or model, not 'sampler'"));
    auto name = run_genhost("new metric My_Metric");
    CHECK(name.code == 2);
    CHECK_THAT(name.output, Catch::Contains("lowercase letters, digits and '-'"));
}
