// The comparison file: read like a pipeline, every problem reported with file:line:column.
#include <catch2/catch.hpp>

#include <fstream>

#include "compare/spec.hpp"
#include "support/scratch.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using genhost::compare::load_comparison;

namespace {

fs::path write(const std::string& name, const std::string& text) {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/spec-" + name);
    std::ofstream(d / "p.yaml") << "data: {dataset: shapes}\nmodel: {plugin: vae}\n";
    std::ofstream(d / "c.yaml") << text;
    return d / "c.yaml";
}

std::string error_of(const fs::path& file, const std::vector<std::string>& sets = {}) {
    try {
        load_comparison(file, sets);
    } catch (const genhost::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a comparison file gets its defaults, families in the file's order, paths from its folder") {
    const auto file = write("defaults", "families:\n  z: {pipeline: p.yaml}\n  a: {pipeline: p.yaml, set: [train.steps=1]}\n");
    const auto c = load_comparison(file);
    CHECK(c.name == "c");
    CHECK(c.output == fs::path("runs/c"));
    CHECK(c.seeds == std::vector<uint64_t>{0, 1, 2});
    REQUIRE(c.families.size() == 2);
    CHECK(c.families[0].name == "z");
    CHECK(c.families[1].sets == std::vector<std::string>{"train.steps=1"});
    CHECK(c.families[0].pipeline == fs::absolute(file.parent_path() / "p.yaml").lexically_normal());
    REQUIRE(c.families[0].samplers.size() == 1);
    CHECK(c.families[0].samplers[0].scheduler.is_null());
}

TEST_CASE("samplers become sample.scheduler sections, and --set overrides the comparison's keys") {
    const auto file = write("samplers", "families:\n  d:\n    pipeline: p.yaml\n    samplers: [{name: DDIM-50, plugin: ddim, steps: 50}]\n");
    const auto c = load_comparison(file, {"budget.images=300", "seeds=[4]"});
    CHECK(c.budget_images == 300);
    CHECK(c.seeds == std::vector<uint64_t>{4});
    CHECK(c.families[0].samplers[0].name == "DDIM-50");
    CHECK(c.families[0].samplers[0].scheduler["params"]["num_inference_steps"] == 50);
}

TEST_CASE("two samplers whose names make one folder are refused, naming the second") {
    const std::string e = error_of(write("same-folder", "families:\n  d:\n    pipeline: p.yaml\n    samplers:\n"
                                                        "      - {name: DDIM, plugin: ddim}\n      - {name: ddim, plugin: ddim}\n"));
    CHECK_THAT(e, Catch::Contains("families.d.samplers[1].name: 'ddim' would share the folder sample-ddim"));
}

TEST_CASE("a misspelled key is refused at its line with the key meant") {
    const std::string e = error_of(write("typo", "budjet: {images: 3}\nfamilies:\n  v: {pipeline: p.yaml}\n"));
    CHECK_THAT(e, Catch::Contains("c.yaml:1:1: budjet: unknown key; did you mean 'budget'?"));
}

TEST_CASE("a missing pipeline file, a repeated seed and a bad family name are all reported at once") {
    const std::string e = error_of(write("problems", "seeds: [1, 1]\nfamilies:\n  v: {pipeline: nope.yaml}\n  \"a b\": {pipeline: p.yaml}\n"));
    CHECK_THAT(e, Catch::Contains("3 problems"));
    CHECK_THAT(e, Catch::Contains("families.v.pipeline: no such file"));
    CHECK_THAT(e, Catch::Contains("seeds[1]: seed 1 is given twice"));
    CHECK_THAT(e, Catch::Contains("families.a b: 'a b' names a folder"));
}

TEST_CASE("a comparison needs families, and values in range") {
    CHECK_THAT(error_of(write("none", "seeds: [0]\n")), Catch::Contains("families: is required but missing"));
    CHECK_THAT(error_of(write("range", "budget: {images: 0}\nfamilies: {v: {pipeline: p.yaml}}\n")),
               Catch::Contains("budget.images: 0 is out of range"));
    CHECK_THAT(error_of(write("set", "families: {v: {pipeline: p.yaml}}\n"), {"samples=x"}),
               Catch::Contains("samples: expected an integer"));
}

TEST_CASE("a pipeline file is not taken for a comparison") {
    const auto file = write("kind", "families: {v: {pipeline: p.yaml}}\n");
    CHECK(genhost::compare::is_comparison_file(file));
    CHECK_FALSE(genhost::compare::is_comparison_file(file.parent_path() / "p.yaml"));
    CHECK_FALSE(genhost::compare::is_comparison_file(file.parent_path() / "missing.yaml"));
}
