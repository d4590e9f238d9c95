// Loading plugins, good and broken: every broken library gets a clear message naming
// its file, and the host carries on with the others.
#include <catch2/catch.hpp>

#include <algorithm>

#include <genhost/version.h>

#include "loader/instance.hpp"
#include "loader/registry.hpp"
#include "util/error.hpp"

using namespace genhost::loader;
namespace fs = std::filesystem;

namespace {

// "ABI 1.<minor>.<patch>": this build's version, as the loader's messages spell it.
const std::string kThisAbi = "ABI " + std::to_string(GENHOST_ABI_VERSION_MAJOR) + "." +
                             std::to_string(GENHOST_ABI_VERSION_MINOR) + "." + std::to_string(GENHOST_ABI_VERSION_PATCH);

const fs::path kPlugins = fs::path(GENHOST_BINARY_DIR) / "tests" / "plugins";

std::string problem_for(const PluginRegistry& r, const std::string& file) {
    for (const auto& p : r.problems())
        if (p.file.filename() == file) return p.message;
    return "";
}

const PluginRegistry& everything() {
    static PluginRegistry r = [] {
        PluginRegistry reg;
        reg.scan({kPlugins / "good", kPlugins / "broken"});
        return reg;
    }();
    return r;
}

}  // namespace

TEST_CASE("good plugins load beside broken ones", "[loader]") {
    const auto ids = everything().ids();
    for (const char* id : {"org.genhost.test.mean-image", "org.genhost.test.two-player", "org.genhost.test.throwing",
                           "org.genhost.test.linear-scheduler", "com.example.mean-pixel"})
        CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
    CHECK(everything().find("com.example.mean-pixel").description->kind == "metric");
    CHECK(everything().find("org.genhost.test.linear-scheduler").description->kind == "scheduler");
}

TEST_CASE("each broken library is refused with a message naming the file and the fault", "[loader]") {
    const auto& r = everything();
    auto wrong = problem_for(r, "wrong_major.so");
    CHECK_THAT(wrong, Catch::Contains("wrong_major.so") && Catch::Contains("ABI 2.0.0") && Catch::Contains(kThisAbi));
    CHECK_THAT(problem_for(r, "no_entry.so"), Catch::Contains("does not export the symbol 'genhost_entry'"));
    CHECK_THAT(problem_for(r, "null_get_factory.so"), Catch::Contains("get_factory is NULL"));
    CHECK_THAT(problem_for(r, "null_create.so"), Catch::Contains("the plugin factory has NULL required slots: create"));
    CHECK_THAT(problem_for(r, "factory_null.so"), Catch::Contains("returned NULL"));
    CHECK_THAT(problem_for(r, "bad_schema.so"), Catch::Contains("params_schema is not valid JSON"));
    CHECK_THAT(problem_for(r, "init_fails.so"), Catch::Contains("init() failed"));
    CHECK(r.resolve("org.genhost.test.wrong-major").empty());
}

TEST_CASE("instances whose creation fails are reported, not crashed on", "[loader]") {
    HostServices s;
    CHECK_THROWS_WITH(PluginInstance::create(everything().find("org.genhost.test.create-null"), {}, nullptr, s),
                      Catch::Contains("create() returned success but no instance"));
    CHECK_THROWS_WITH(PluginInstance::create(everything().find("org.genhost.test.null-instance-slot"), {}, nullptr, s),
                      Catch::Contains("NULL required slots: last_error"));
    CHECK_THROWS_WITH(
        PluginInstance::create(everything().find("throwing"), {{"throw_in", "create"}}, nullptr, s),
        Catch::Contains("org.genhost.test.throwing") && Catch::Contains("thrown in the constructor, as asked"));
}

TEST_CASE("a C++ exception inside a call becomes an error naming plugin, call and message", "[loader]") {
    HostServices s;
    auto p = PluginInstance::create(everything().find("throwing"), {{"throw_in", "generate"}}, nullptr, s);
    const genhost_generator* gen = p->generator();
    REQUIRE(gen != nullptr);
    std::vector<float> out(4);
    std::vector<int64_t> shape = {1, 1, 2, 2};
    DLTensor t{out.data(), {kDLCPU, 0}, 4, {kDLFloat, 32, 1}, shape.data(), nullptr, 0};
    genhost_sample_request req = {sizeof req, 1, nullptr, nullptr};
    CHECK_THROWS_WITH(p->check(gen->generate(p->raw(), &req, &t), "generate"),
                      "plugin 'org.genhost.test.throwing': generate failed (internal error): internal error: thrown in "
                      "generate, as asked");
}

TEST_CASE("short names resolve and unknown names suggest the closest", "[loader]") {
    const auto& r = everything();
    CHECK(r.resolve("test.mean-image") == "org.genhost.test.mean-image");
    CHECK(r.resolve("mean-image") == "org.genhost.test.mean-image");
    CHECK(r.resolve("mean-pixel") == "com.example.mean-pixel");
    CHECK_THROWS_WITH(r.find("mean-imag"), Catch::Contains("did you mean 'mean-image'?"));
}

TEST_CASE("a plugin id offered by two files is an error naming both", "[loader]") {
    PluginRegistry r;
    r.scan({kPlugins / "good", kPlugins / "duplicate"});
    CHECK_THROWS_WITH(r.find("org.genhost.test.two-player"),
                      Catch::Contains("good/test_models.so") && Catch::Contains("duplicate/duplicate_models.so"));
    CHECK_NOTHROW(r.find("com.example.mean-pixel"));  // the others still work
}

TEST_CASE("a trainable instance exposes its parameters and phases", "[loader]") {
    HostServices s;
    auto p = PluginInstance::create(everything().find("two-player"), nlohmann::json::object(), nullptr, s);
    const genhost_trainable* t = p->trainable();
    REQUIRE(t != nullptr);
    CHECK(p->generator() == nullptr);
    REQUIRE(t->parameter_count(p->raw()) == 3);
    const genhost_parameter* d = t->get_parameter(p->raw(), 0);
    CHECK(std::string(d->name) == "d");
    CHECK(std::string(d->group) == "discriminator");
    CHECK(d->value->ndim == 1);
    const genhost_parameter* buffer = t->get_parameter(p->raw(), 2);
    CHECK((buffer->flags & GENHOST_PARAMETER_BUFFER) != 0);
    CHECK(buffer->grad == nullptr);
    CHECK(t->get_parameter(p->raw(), 3) == nullptr);
    REQUIRE(t->phase_count(p->raw()) == 2);
    const genhost_phase* g = t->get_phase(p->raw(), 1);
    CHECK(std::string(g->group) == "generator");
    CHECK(std::string(g->loss_names[1]) == "gap");
    CHECK(g->loss_names[2] == nullptr);

    // One discriminator step by hand: grad of (d-1)^2 at d=0 is -2.
    std::vector<float> x(1);
    std::vector<int64_t> shape = {1, 1, 1, 1};
    DLTensor images{x.data(), {kDLCPU, 0}, 4, {kDLFloat, 32, 1}, shape.data(), nullptr, 0};
    genhost_batch batch = {sizeof batch, &images, nullptr, 0, 0, 1, nullptr};
    float loss = 0;
    p->check(t->train_phase(p->raw(), 0, &batch, &loss), "train_phase");
    CHECK(loss == 1.0f);
    CHECK(*static_cast<float*>(d->grad->data) == -2.0f);
}

TEST_CASE("the plain-C metric plugin from the header's tutorial works", "[loader]") {
    HostServices s;
    auto p = PluginInstance::create(everything().find("mean-pixel"), nlohmann::json::object(), nullptr, s);
    const genhost_metric* m = p->metric();
    REQUIRE(m != nullptr);
    std::vector<float> x = {0.0f, 0.5f, 1.0f, 0.5f};
    std::vector<int64_t> shape = {1, 1, 2, 2};
    DLTensor images{x.data(), {kDLCPU, 0}, 4, {kDLFloat, 32, 1}, shape.data(), nullptr, 0};
    p->check(m->update(p->raw(), GENHOST_METRIC_GENERATED, &images), "update");
    double value = 0;
    p->check(m->compute(p->raw(), &value), "compute");
    CHECK(value == Approx(0.5));
}

TEST_CASE("plugin log messages reach the host's log with the plugin id", "[loader]") {
    std::vector<std::string> lines;
    HostServices s;
    s.log = [&](const std::string& id, int32_t level, const std::string& message) {
        lines.push_back(id + " " + std::to_string(level) + " " + message);
    };
    auto p = PluginInstance::create(everything().find("mean-image"), nlohmann::json::object(), nullptr, s);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "org.genhost.test.mean-image 1 learning a mean image of shape [1,28,28]");
}
