// Two data domains (data.domains, for CycleGAN): each is data with the domain's keys put
// over it, and what cannot be trained together (a class a dataset lacks, images of two
// shapes) is refused by `genhost validate` and `genhost run` alike before any work, with
// the file, the key and the fix. The translate stage needs a model that translates and
// data with domains.
#include <catch2/catch.hpp>

#include "run/data_options.hpp"
#include "support/genhost_run.hpp"

using namespace genhost::testing::run;

namespace {

void both_refuse(const std::string& name, const std::string& text, const std::vector<std::string>& messages) {
    auto d = dir("domains/" + name);
    const auto file = pipeline(d, text + "output: " + (d / "out").string() + "\n");
    for (const char* command : {"validate ", "run --quiet "}) {
        auto r = run_genhost(command + file.string());
        INFO(command << r.output);
        CHECK(r.code == 1);
        for (const auto& m : messages) CHECK_THAT(r.output, Catch::Contains(m));
    }
    CHECK_FALSE(fs::exists(d / "out"));
}

}  // namespace

TEST_CASE("a domain is data with its own keys over data's, shuffled apart from the other", "[run][domains]") {
    const nlohmann::json section = genhost::run::default_data_section(
        {{"dataset", "shapes"}, {"batch_size", 8}, {"size", 100},
         {"domains", {{"a", {{"classes", {1}}}}, {"b", {{"classes", {0, 2}}, {"image_size", 16}}}}}});
    REQUIRE(genhost::run::has_domains(section));
    const auto a = genhost::run::data_options(section, 5), a2 = genhost::run::data_options(section, 5, "a");
    const auto b = genhost::run::data_options(section, 5, "b");
    CHECK(a.classes == std::vector<int64_t>{1});
    CHECK(a2.classes == a.classes);
    CHECK(b.classes == std::vector<int64_t>{0, 2});
    CHECK(a.shapes.size == 28);
    CHECK(b.shapes.size == 16);
    CHECK(a.batch_size == 8);
    CHECK(b.batch_size == 8);
    CHECK(a.seed == 5);
    CHECK(b.seed != a.seed);
    CHECK_FALSE(genhost::run::has_domains(genhost::run::default_data_section({{"dataset", "shapes"}})));
}

TEST_CASE("domains that cannot be trained together are refused before any work", "[run][domains]") {
    const std::string model = "model: {plugin: mean-image}\ntrain: {steps: 2}\n";
    both_refuse("missing-class",
                "data: {dataset: shapes, size: 64, domains: {a: {classes: [1]}, b: {classes: [7]}}}\n" + model,
                {"p.yaml:", "data.domains.b.classes: domain b asks for class 7", "its classes are 0..4"});
    both_refuse("shapes-differ",
                "data: {dataset: shapes, size: 64, domains: {a: {classes: [1]}, b: {classes: [0], image_size: 16}}}\n" +
                    model,
                {"p.yaml:", "data.domains: the two domains hold images of different shapes", "1x28x28", "1x16x16"});
    both_refuse("b-file-missing",
                "data: {dataset: shapes, size: 64, domains: {a: {classes: [1]}, b: {dataset: npy, images: /nonexistent/x.npy}}}\n" +
                    model,
                {"p.yaml:", "data.domains.b: domain b", "/nonexistent/x.npy"});
    both_refuse("no-b", "data: {dataset: shapes, domains: {a: {classes: [1]}}}\n" + model,
                {"data.domains.b", "required"});
    both_refuse("unknown-key", "data: {dataset: shapes, domains: {a: {batch_size: 3}, b: {}}}\n" + model,
                {"data.domains.a.batch_size", "unknown key"});
}

TEST_CASE("translate needs a model that translates and data with two domains", "[run][domains][translate]") {
    both_refuse("translate-model",
                "data: {dataset: shapes, size: 64, image_size: 12, domains: {a: {classes: [1]}, b: {classes: [0]}}}\n"
                "model: {plugin: mean-image}\ntrain: {steps: 2}\ntranslate: {count: 4}\n",
                {"translate: plugin 'org.genhost.test.mean-image' cannot translate images"});
    both_refuse("translate-data",
                "data: {dataset: shapes, size: 64, image_size: 12}\nmodel: {plugin: mean-image}\ntrain: {steps: 2}\n"
                "translate: {count: 4}\n",
                {"translate: translates test images of one data domain into the other, but data has no domains"});
}
