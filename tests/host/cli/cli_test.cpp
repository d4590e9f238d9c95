// The genhost program as a user meets it: help, version, listing, validation errors.
#include <catch2/catch.hpp>

#include <genhost/version.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
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
    CHECK_THAT(version.output, Catch::StartsWith("genhost 1.") && Catch::Contains("plugin ABI 1." + std::to_string(GENHOST_ABI_VERSION_MINOR)) &&
                                   Catch::Contains("data parallelism with MPI: "));
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
                             Catch::Contains("ok    a 10-step run: timesteps, steps, and a reset that repeats it") &&
                             // A feature metric (ABI 1.2) gets features, not pixels.
                             Catch::Contains("ok    update_features with 32 real and 32 generated feature vectors, "
                                             "then compute finite values: fid"));
    CHECK(r.output.find("FAIL") == std::string::npos);
    auto missing = run_genhost("check");
    CHECK(missing.code == 2);
}

TEST_CASE("the seed and threads options refuse negative and too large numbers instead of wrapping", "[cli][numbers]") {
    auto file = write("numbers.yaml", "name: n\nmodel: {plugin: mean-image}\ndata: {dataset: shapes}\n");
    for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
             {"--seed -5", "--seed -5: expected a whole number from 0 to 9223372036854775807"},
             {"--seed 9223372036854775808", "--seed 9223372036854775808: expected a whole number from 0 to"},
             {"--seed 1e3", "--seed 1e3: expected a whole number"},
             {"--threads -1", "--threads -1: expected a whole number from 0 to 1024"},
             {"--threads 4294967297", "--threads 4294967297: expected a whole number from 0 to 1024"}}) {
        auto r = run_genhost("run " + file.string() + " " + args + " " + kGood);
        INFO(args << "\n" << r.output);
        CHECK(r.code == 2);
        CHECK_THAT(r.output, Catch::Contains(message));
    }
}

TEST_CASE("bad numbers and text in a pipeline never reach the user as an internal error", "[cli][numbers]") {
    auto file = write("big.yaml", "name: big\nmodel: {plugin: mean-image}\ndata: {dataset: shapes}\ntrain: {steps: 1e400}\n");
    auto r = run_genhost("validate " + file.string() + " " + kGood);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("big.yaml:4:16: '1e400' is too large for a number"));
    CHECK_THAT(r.output, !Catch::Contains("internal error"));
    file = write("plain.yaml", "name: plain\nmodel: {plugin: mean-image}\ndata: {dataset: shapes}\n");
    auto latin1 = run_genhost("validate " + file.string() + " --set \"name=caf$(printf '\\351')\" " + kGood);
    CHECK(latin1.code == 1);
    CHECK_THAT(latin1.output, Catch::Contains("--set name=caf\\xE9:1:9: byte 0xE9 is not valid UTF-8"));
    auto escape = run_genhost("validate " + file.string() + " --set name=../../x --set train.steps=3 " + kGood);
    CHECK(escape.code == 1);
    CHECK_THAT(escape.output, Catch::Contains("name: '../../x' holds a path separator"));
}

TEST_CASE("train.epochs so large the step count would overflow is refused with the limit", "[cli][numbers]") {
    auto file = write("epochs.yaml", "name: epochs\nmodel: {plugin: mean-image}\ndata: {dataset: shapes, size: 64}\n"
                                     "train: {epochs: 1.2e18}\n");
    auto r = run_genhost("run " + file.string() + " --output " +
                         (genhost::testing::fresh_scratch_dir("cli-epochs") / "out").string() + " " + kGood);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("epochs.yaml:4:17: train.epochs: 1.2e+18 is out of range: it must be <= 1000000"));
}

TEST_CASE("a training run into a folder holding a run needs --resume or --overwrite", "[cli][overwrite]") {
    const fs::path out = genhost::testing::fresh_scratch_dir("cli-overwrite") / "out";
    auto file = write("twice.yaml", "name: twice\nmodel: {plugin: mean-image}\ndata: {dataset: shapes, size: 32}\n"
                                    "train: {steps: 2, log_every: 1}\n");
    const std::string run = "run " + file.string() + " --quiet --output " + out.string() + " " + kGood;
    REQUIRE(run_genhost(run).code == 0);
    auto again = run_genhost(run);
    CHECK(again.code == 1);
    CHECK_THAT(again.output, Catch::Contains(out.string() + " already holds a run (checkpoint.safetensors and "
                                                            "train_log.csv); continue it with --resume, replace it "
                                                            "with --overwrite, or choose another --output"));
    CHECK(run_genhost(run + " --overwrite").code == 0);
    CHECK(run_genhost(run + " --resume").code == 0);
    CHECK_THAT(run_genhost(run + " --resume --overwrite").output, Catch::Contains("contradict"));
}

TEST_CASE("validate takes run's options and refuses what the run with them would", "[cli][overwrite]") {
    const fs::path out = genhost::testing::fresh_scratch_dir("cli-validate-options") / "out";
    auto file = write("held.yaml", "name: held\nmodel: {plugin: mean-image}\ndata: {dataset: shapes, size: 32}\n"
                                   "train: {steps: 2, log_every: 1}\n");
    const std::string options = file.string() + " --output " + out.string() + " --threads 1 --seed 3 " + kGood;
    auto fresh = run_genhost("validate " + options);
    INFO(fresh.output);
    CHECK(fresh.code == 0);
    CHECK_FALSE(fs::exists(out));  // validate writes nothing
    REQUIRE(run_genhost("run " + options + " --quiet").code == 0);
    auto held = run_genhost("validate " + options);
    CHECK(held.code == 1);
    CHECK_THAT(held.output, Catch::Contains(out.string() + " already holds a run") && Catch::Contains("--resume"));
    CHECK(run_genhost("validate " + options + " --resume").code == 0);
    CHECK(run_genhost("validate " + options + " --overwrite").code == 0);
    CHECK_THAT(run_genhost("validate " + options + " --resume --overwrite").output, Catch::Contains("contradict"));
    auto quiet = run_genhost("validate " + options + " --resume --quiet");
    CHECK(quiet.code == 0);
    CHECK(quiet.output.find("is valid") == std::string::npos);  // a plugin's own log lines may remain
    // A --resume with nothing to resume, and a file for the run directory, are refused as by run.
    const fs::path empty = out.parent_path() / "empty";
    const std::string elsewhere = file.string() + " --threads 1 --seed 3 " + kGood + " --output ";
    auto nothing = run_genhost("validate " + elsewhere + empty.string() + " --resume");
    CHECK(nothing.code == 1);
    CHECK_THAT(nothing.output, Catch::Contains("--resume: there is no checkpoint to resume at"));
    std::ofstream(out.parent_path() / "a-file") << "x";
    auto a_file = run_genhost("validate " + elsewhere + (out.parent_path() / "a-file").string());
    CHECK(a_file.code == 1);
    CHECK_THAT(a_file.output, Catch::Contains("is a file, not a run directory"));
    auto bad = run_genhost("validate " + options + " --threads -1");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.output, Catch::Contains("Usage: genhost validate"));
}

TEST_CASE("info says where a pipeline sets a plugin's parameters, by its kind", "[cli][info]") {
    CHECK_THAT(run_genhost("info mean-image " + kGood).output, Catch::Contains("Parameters (model.params in a pipeline)"));
    auto plugins = nlohmann::json::parse(run_genhost("plugins --json " + kGood).output)["plugins"];
    std::map<std::string, std::string> expected = {
        {"scheduler", "Parameters (scheduler.params or sample.scheduler.params in a pipeline)"},
        {"metric", "Parameters (evaluate.metrics[].params in a pipeline)"}};
    for (const auto& p : plugins) {
        const auto it = expected.find(p["kind"].get<std::string>());
        if (it == expected.end()) continue;
        auto r = run_genhost("info " + p["id"].get<std::string>() + " " + kGood);
        if (r.output.find("No parameters.") != std::string::npos) continue;
        INFO(r.output);
        CHECK_THAT(r.output, Catch::Contains(it->second));
        expected.erase(it);
    }
    // A scheduler with parameters was seen (the test metric, mean-pixel, has none: a metric
    // with some is checked when one is installed).
    CHECK(expected.count("scheduler") == 0);
}

TEST_CASE("a missing folder in GENHOST_PLUGIN_PATH or plugin_paths is warned about", "[cli]") {
    auto file = write("paths.yaml", "name: paths\nplugin_paths: [no-such-folder]\nmodel: {plugin: mean-image}\n"
                                    "data: {dataset: shapes}\n");
    auto r = genhost::testing::run_command("GENHOST_PLUGIN_PATH=/no/such/env/folder " +
                                           genhost::testing::genhost_program() + " validate " + file.string() + " " + kGood);
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("warning: GENHOST_PLUGIN_PATH entry \"/no/such/env/folder\" is not a folder"));
    CHECK_THAT(r.output, Catch::Contains("warning: plugin_paths entry \"" + (file.parent_path() / "no-such-folder").string() +
                                         "\" is not a folder"));
}

TEST_CASE("train_log's epoch column is the epoch each step trained on", "[cli][train]") {
    const fs::path out = genhost::testing::fresh_scratch_dir("cli-epoch") / "out";
    auto file = write("epoch.yaml", "name: epoch\nmodel: {plugin: mean-image}\n"
                                    "data: {dataset: shapes, size: 48, batch_size: 16, limit: 32}\n"
                                    "train: {steps: 5, log_every: 1}\n");
    auto r = run_genhost("run " + file.string() + " --output " + out.string() + " " + kGood);
    INFO(r.output);
    REQUIRE(r.code == 0);
    std::ifstream log(out / "train_log.csv");
    std::string line, epochs;
    std::getline(log, line);
    while (std::getline(log, line)) {
        const auto comma = line.find(',');
        epochs += line.substr(comma + 1, line.find(',', comma + 1) - comma - 1);
    }
    CHECK(epochs == "00112");  // 2 batches an epoch: steps 1-2 on epoch 0, 3-4 on epoch 1, 5 on 2
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
