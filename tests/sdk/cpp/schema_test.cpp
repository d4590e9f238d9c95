// The parameter schema checker shared by plugins and the host.
#include <catch2/catch.hpp>

#include <genhost/cpp/schema.hpp>

using genhost::ParamSchema;
using nlohmann::json;
namespace schema = genhost::schema;

namespace {

std::vector<schema::Issue> check(json& value, const json& s) {
    std::vector<schema::Issue> issues;
    schema::validate(value, s, issues);
    return issues;
}

const json& example() {
    static const json s = ParamSchema()
                              .integer("latent_dim", 20, "size of z", 1, 4096)
                              .number("beta", 1.0, "KL weight", 0.0)
                              .boolean("conditional", false, "use labels")
                              .choice("likelihood", "bernoulli", {"bernoulli", "gaussian"}, "p(x|z)")
                              .integers("hidden", {400}, "hidden sizes", 1)
                              .json();
    return s;
}

}  // namespace

TEST_CASE("defaults fill every absent parameter", "[schema]") {
    json v = json::object();
    REQUIRE(check(v, example()).empty());
    CHECK(v["latent_dim"] == 20);
    CHECK(v["beta"] == 1.0);
    CHECK(v["conditional"] == false);
    CHECK(v["likelihood"] == "bernoulli");
    CHECK(v["hidden"] == json::array({400}));
}

TEST_CASE("a misspelled key is an unknown key with a suggestion", "[schema]") {
    json v = {{"latentdim", 8}};
    auto issues = check(v, example());
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "latentdim");
    CHECK(issues[0].message.find("unknown key") == 0);
    CHECK(issues[0].suggestion == "latent_dim");
}

TEST_CASE("types, ranges and enums are checked with the value in the message", "[schema]") {
    json v = {{"latent_dim", "twenty"}, {"beta", -1}, {"likelihood", "gausian"}, {"hidden", {400, 0}}};
    auto issues = check(v, example());
    REQUIRE(issues.size() == 4);
    std::string all = schema::format(issues);
    CHECK_THAT(all, Catch::Contains("latent_dim: expected an integer, got a string (\"twenty\")"));
    CHECK_THAT(all, Catch::Contains("beta: -1 is out of range: it must be >= 0.0"));
    CHECK_THAT(all, Catch::Contains("likelihood: \"gausian\" is not one of: bernoulli, gaussian (did you mean 'gaussian'?)"));
    CHECK_THAT(all, Catch::Contains("hidden[1]: 0 is out of range"));
}

TEST_CASE("a whole-number float is accepted as an integer", "[schema]") {
    json v = {{"latent_dim", 1e3}};
    REQUIRE(check(v, example()).empty());
    CHECK(v["latent_dim"].is_number_integer());
    json bad = {{"latent_dim", 2.5}};
    CHECK(check(bad, example()).size() == 1);
}

TEST_CASE("additionalProperties: true accepts any key, a schema checks each", "[schema]") {
    json open = {{"type", "object"}, {"additionalProperties", true}};
    json v = {{"anything", 1}};
    CHECK(check(v, open).empty());
    json typed = {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}};
    json w = {{"a", 1}, {"b", "x"}};
    auto issues = check(w, typed);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "b");
}

TEST_CASE("closest suggests only plausible typos", "[schema]") {
    CHECK(schema::closest("batchsize", {"batch_size", "dataset"}) == "batch_size");
    CHECK(schema::closest("zzzzzz", {"batch_size", "dataset"}).empty());
    CHECK(schema::edit_distance("kitten", "sitting") == 3);
}
