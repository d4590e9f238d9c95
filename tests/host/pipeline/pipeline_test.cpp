// Pipeline validation: every problem reported before any work, with file, line, key
// path and the intended key; overrides; plugin resolution and plugin params.
#include <catch2/catch.hpp>

#include <fstream>

#include <sys/stat.h>

#include "pipeline/pipeline.hpp"
#include "pipeline/pipeline_schema.hpp"
#include "util/error.hpp"
#include "support/scratch.hpp"

using namespace genhost::pipeline;
namespace fs = std::filesystem;

namespace {

fs::path write(const std::string& name, const std::string& text) {
    fs::path dir = genhost::testing::scratch_dir("pipeline");
    fs::path file = dir / name;
    std::ofstream(file) << text;
    return file;
}

const genhost::loader::PluginRegistry& registry() {
    static genhost::loader::PluginRegistry r = [] {
        genhost::loader::PluginRegistry reg;
        reg.scan({fs::path(GENHOST_BINARY_DIR) / "tests" / "plugins" / "good"});
        return reg;
    }();
    return r;
}

const char* const kGood =
    "name: demo\n"
    "data: {dataset: shapes, batch_size: 16}\n"
    "model:\n"
    "  plugin: mean-image\n"
    "  params: {noise: 0.1}\n"
    "train: {steps: 10}\n"
    "sample: {count: 8}\n";

}  // namespace

TEST_CASE("a good pipeline gets every default filled in", "[pipeline]") {
    auto p = Pipeline::load(write("good.yaml", kGood));
    p.resolve_plugins(registry());
    const auto& j = p.json();
    CHECK(j["name"] == "demo");
    CHECK(j["output"] == "runs/demo");
    CHECK(j["seed"] == 0);
    CHECK(j["data"]["range"] == nlohmann::json::array({0, 1}));
    CHECK(j["data"]["split"] == "train");
    CHECK(j["model"]["plugin"] == "org.genhost.test.mean-image");
    CHECK(j["model"]["params"]["noise"] == 0.1);
    CHECK(j["model"]["params"]["init"] == 0.5);  // the plugin's own default
    CHECK(j["train"]["optimizer"]["type"] == "adam");
    CHECK(j["sample"]["grid"]["columns"] == 8);
    CHECK_FALSE(j.contains("evaluate"));
}

TEST_CASE("a misspelled key names file, line, path and the intended key", "[pipeline]") {
    auto file = write("typo.yaml", "model: {plugin: mean-image}\ndata:\n  batchsize: 64\n");
    CHECK_THROWS_WITH(Pipeline::load(file),
                      Catch::StartsWith(file.string() + ":3:3: data.batchsize: unknown key; did you mean 'batch_size'?"));
}

TEST_CASE("every problem is reported at once, in file order", "[pipeline]") {
    auto file = write("many.yaml", "seed: -1\nmodel: {plugin: mean-image}\ndata:\n  split: tran\n  range: [0]\n");
    try {
        Pipeline::load(file);
        FAIL("expected an error");
    } catch (const genhost::Error& e) {
        std::string m = e.what();
        CHECK_THAT(m, Catch::StartsWith("3 problems in"));
        CHECK_THAT(m, Catch::Contains(":1:7: seed: -1 is out of range: it must be >= 0"));
        CHECK_THAT(m, Catch::Contains(":4:10: data.split: \"tran\" is not one of: train, test; did you mean 'train'?"));
        CHECK_THAT(m, Catch::Contains(":5:10: data.range: has 1 items, needs at least 2"));
        CHECK(m.find("seed") < m.find("data.split"));
    }
}

TEST_CASE("wrong types say what was expected and what came", "[pipeline]") {
    auto file = write("types.yaml", "model: {plugin: mean-image}\ndata: {batch_size: many, shuffle: 3}\n");
    CHECK_THROWS_WITH(Pipeline::load(file), Catch::Contains("data.batch_size: expected an integer, got a string (\"many\")") &&
                                                Catch::Contains("data.shuffle: expected a boolean (true or false), got an integer"));
}

TEST_CASE("a missing model section is named", "[pipeline]") {
    CHECK_THROWS_WITH(Pipeline::load(write("nomodel.yaml", "name: x\n")), Catch::Contains("model: is required but missing"));
    CHECK_THROWS_WITH(Pipeline::load(write("list.yaml", "- a\n- b\n")), Catch::Contains("a pipeline file is a mapping"));
}

TEST_CASE("overrides with --set reach any key with YAML values before validation", "[pipeline]") {
    auto file = write("set.yaml", kGood);
    auto p = Pipeline::load(file, {"train.steps=3", "data.range=[-1, 1]", "sample.scheduler.plugin=linear-scheduler",
                                   "model.params.noise=0", "output=/tmp/x"});
    CHECK(p.json()["train"]["steps"] == 3);
    CHECK(p.json()["data"]["range"] == nlohmann::json::array({-1, 1}));
    CHECK(p.json()["output"] == "/tmp/x");
    p.resolve_plugins(registry());
    CHECK(p.json()["sample"]["scheduler"]["plugin"] == "org.genhost.test.linear-scheduler");

    CHECK_THROWS_WITH(Pipeline::load(file, {"data.batch_sise=3"}),
                      Catch::Contains("--set data.batch_sise=3: data.batch_sise: unknown key; did you mean 'batch_size'?"));
    CHECK_THROWS_WITH(Pipeline::load(file, {"seed"}), Catch::Contains("expected KEY=VALUE"));
    CHECK_THROWS_WITH(Pipeline::load(file, {"name.x=1"}), Catch::Contains("name is a string, not a mapping"));
}

TEST_CASE("plugins resolve by short name and unknown ones and wrong kinds are named", "[pipeline]") {
    auto p = Pipeline::load(write("unknown.yaml", "model:\n  plugin: mean-imag\n"));
    CHECK_THROWS_WITH(p.resolve_plugins(registry()),
                      Catch::Contains("unknown.yaml:2:11: model.plugin: no plugin 'mean-imag' was found (did you mean "
                                      "'mean-image'?)"));
    auto q = Pipeline::load(write("kind.yaml", "model: {plugin: mean-image}\nsample: {scheduler: {plugin: mean-image}}\n"));
    CHECK_THROWS_WITH(q.resolve_plugins(registry()),
                      Catch::Contains("sample.scheduler.plugin: 'mean-image' is a model plugin, but a scheduler plugin is "
                                      "needed here"));
}

TEST_CASE("plugin params are checked against the plugin's own schema", "[pipeline]") {
    auto p = Pipeline::load(write("params.yaml", "model:\n  plugin: mean-image\n  params:\n    nosie: 0.1\n    init: 2\n"));
    CHECK_THROWS_WITH(p.resolve_plugins(registry()),
                      Catch::Contains("params.yaml:4:5: model.params.nosie: unknown parameter of org.genhost.test.mean-image") &&
                          Catch::Contains("did you mean 'noise'?") &&
                          Catch::Contains("params.yaml:5:11: model.params.init: 2 is out of range: it must be <= 1.0"));
}

TEST_CASE("metrics may be named or given with params", "[pipeline]") {
    auto p = Pipeline::load(write("metrics.yaml", "model: {plugin: mean-image}\nevaluate: {metrics: [mean-pixel]}\n"));
    p.resolve_plugins(registry());
    CHECK(p.json()["evaluate"]["metrics"][0]["plugin"] == "com.example.mean-pixel");
}

TEST_CASE("the resolved pipeline reads back as the same pipeline", "[pipeline]") {
    auto p = Pipeline::load(write("round.yaml", std::string(kGood) + "output: \"123\"\n"));
    p.resolve_plugins(registry());
    auto again = Pipeline::load(write("round2.yaml", p.to_yaml()));
    again.resolve_plugins(registry());
    CHECK(again.json() == p.json());
}

TEST_CASE("docs/pipeline.md documents every key of the schema", "[pipeline][docs]") {
    std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/../docs/pipeline.md");
    REQUIRE(in);
    std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> missing;
    std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& s,
                                                                              const std::string& path) {
        if (!s.contains("properties")) return;
        for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
            std::string key = path.empty() ? it.key() : path + "." + it.key();
            if (doc.find("`" + key + "`") == std::string::npos) missing.push_back(key);
            walk(it.value(), key);
            if (it.value().contains("items")) walk(it.value()["items"], key + "[]");
        }
    };
    walk(pipeline_schema(), "");
    INFO("keys missing from docs/pipeline.md (write them as `a.b`):");
    for (const auto& k : missing) INFO(k);
    CHECK(missing.empty());
}

TEST_CASE("values given with --set are checked as strictly as the file's", "[pipeline][text]") {
    const auto file = write("set-text.yaml", kGood);
    CHECK_THROWS_WITH(Pipeline::load(file, {"name=caf\xe9"}),
                      "--set name=caf\\xE9:1:9: byte 0xE9 is not valid UTF-8; pipeline text must be UTF-8 (re-save the "
                      "file as UTF-8, or write the value in plain ASCII)");
    CHECK_THROWS_WITH(Pipeline::load(file, {std::string("name=a\x01")}),
                      Catch::StartsWith("--set name=a\\x01:1:7: control character 0x01"));
    CHECK_THROWS_WITH(Pipeline::load(file, {"train.steps=1e400"}), Catch::Contains("'1e400' is too large for a number"));
    CHECK_THROWS_WITH(Pipeline::load(file, {"seed=99999999999999999999"}), Catch::Contains("outside the range of integers"));
}

TEST_CASE("names and paths: no escape from runs/, no empty name, no control characters", "[pipeline][text]") {
    const auto error_of = [](const std::string& yaml, const std::vector<std::string>& sets = {}) {
        try {
            Pipeline::load(write("names.yaml", yaml), sets);
        } catch (const genhost::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string body = "data: {dataset: shapes}\nmodel: {plugin: mean-image}\n";
    CHECK_THAT(error_of("name: ../../x\n" + body),
               Catch::Contains("names.yaml:1:7: name: '../../x' holds a path separator; a name is one folder name under "
                               "runs/ (to write elsewhere, set output: DIR)"));
    CHECK_THAT(error_of("name: ''\n" + body), Catch::Contains("names.yaml:1:7: name: is empty; give the run a name"));
    CHECK_THAT(error_of("name: ..\n" + body), Catch::Contains("name: '..' would not name a folder of its own"));
    CHECK_THAT(error_of(body, {"name=a/b"}), Catch::Contains("--set name=a/b: name: 'a/b' holds a path separator"));
    // Escapes make control characters without raw bytes in the file.
    CHECK_THAT(error_of("name: \"a\\0b\"\n" + body), Catch::Contains("name: holds the control character 0x00"));
    CHECK_THAT(error_of("output: \"runs/a\\tb\"\n" + body), Catch::Contains("output: holds the control character 0x09"));
    CHECK_THAT(error_of("model: {plugin: mean-image, checkpoint: \"x\\u0007.safetensors\"}\ndata: {dataset: shapes}\n"),
               Catch::Contains("model.checkpoint: holds the control character 0x07"));
    CHECK_THAT(error_of("data: {dataset: npy, images: \"\\x1b.npy\"}\nmodel: {plugin: mean-image}\n"),
               Catch::Contains("data.images: holds the control character 0x1B"));
    CHECK_THAT(error_of("plugin_paths: [ok, \"bad\\n\"]\n" + body),
               Catch::Contains("plugin_paths[1]: holds the control character 0x0A"));
    CHECK_THAT(error_of("output: ''\n" + body), Catch::Contains("output: is an empty path"));
    // Ordinary names and paths pass.
    CHECK(error_of("name: mnist-vae.2\noutput: ../elsewhere/x\n" + body) == "no error");
}

TEST_CASE("a pipeline path naming a FIFO or a folder is refused at once", "[pipeline]") {
    const fs::path fifo = genhost::testing::fresh_scratch_dir("pipeline-fifo") / "p.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(Pipeline::load(fifo), fifo.string() + ": is a FIFO (named pipe); expected a pipeline YAML file");
    CHECK_THROWS_WITH(Pipeline::load(fifo.parent_path()), Catch::Contains(": is a folder; expected a pipeline YAML file"));
}

TEST_CASE("a training-schedule key the sampling scheduler does not declare is dropped with a warning",
          "[pipeline][schedule]") {
    genhost::loader::PluginRegistry reg;
    reg.scan({fs::path(GENHOST_BINARY_DIR) / "tests" / "plugins" / "good", fs::path(GENHOST_PLUGIN_OUTPUT_DIR)});
    auto file = write("dropped.yaml",
                      "name: t\nmodel: {plugin: mean-image}\n"
                      "scheduler:\n  plugin: ddpm\n  params: {beta_schedule: squaredcos_cap_v2, num_train_timesteps: 20}\n"
                      "sample: {count: 1, scheduler: {plugin: linear-scheduler}, compare: [ddim]}\n");
    auto p = Pipeline::load(file);
    p.resolve_plugins(reg);
    // Declared keys are inherited, by the toy scheduler and by DDIM alike...
    CHECK(p.json()["sample"]["scheduler"]["params"]["num_train_timesteps"] == 20);
    CHECK(p.json()["sample"]["compare"][0]["params"]["beta_schedule"] == "squaredcos_cap_v2");
    // ... an undeclared one that the training schedule sets is named, once, where it was written;
    // undeclared keys left at their defaults (beta_start, prediction_type, ...) are not.
    REQUIRE(p.warnings().size() == 1);
    CHECK_THAT(p.warnings()[0], Catch::Contains("dropped.yaml:5:") &&
                                    Catch::Contains("warning: sample.scheduler (org.genhost.test.linear-scheduler) "
                                                    "does not declare the param 'beta_schedule'") &&
                                    Catch::Contains("\"squaredcos_cap_v2\""));
}

TEST_CASE("paths written in a pipeline are relative to its folder, --set paths to the working directory", "[pipeline][paths]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("pipeline-paths") / "sub";
    fs::create_directories(d);
    std::ofstream(d / "p.yaml") << "data: {dataset: npy, images: x.npy, labels: ../y.npy}\n"
                                   "model: {plugin: mean-image, checkpoint: /abs/c.safetensors}\n"
                                   "components: {judge: {checkpoint: j.safetensors}}\n"
                                   "plugin_paths: [plugins]\n";
    auto p = Pipeline::load(d / "p.yaml");
    CHECK(p.json()["data"]["images"] == (d / "x.npy").string());
    CHECK(p.json()["data"]["labels"] == (d.parent_path() / "y.npy").string());
    CHECK(p.json()["model"]["checkpoint"] == "/abs/c.safetensors");
    CHECK(p.json()["components"]["judge"]["checkpoint"] == (d / "j.safetensors").string());
    CHECK(p.plugin_folders() == std::vector<fs::path>{d / "plugins"});
    CHECK(p.json()["output"] == "runs/p");  // the run directory stays in the working directory
    auto q = Pipeline::load(d / "p.yaml", {"data.images=here.npy"});
    CHECK(q.json()["data"]["images"] == "here.npy");
}
