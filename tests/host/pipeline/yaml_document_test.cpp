// Reading pipeline YAML safely: locations kept, hostile documents refused.
#include <catch2/catch.hpp>

#include "pipeline/yaml_document.hpp"
#include "util/error.hpp"

using namespace genhost::pipeline;

TEST_CASE("values come with their file, line and column", "[yaml]") {
    auto doc = parse_yaml("name: x\ndata:\n  batch_size: 64\n  range: [0, 1]\n", "p.yaml");
    CHECK(doc.root["data"]["batch_size"] == 64);
    CHECK(doc.locate("data.batch_size").str() == "p.yaml:3:15");
    CHECK(doc.locate("data.range[1]").str() == "p.yaml:4:14");
    CHECK(doc.locate("data.batch_size#key").line == 3);
    CHECK(doc.locate("data.nothing.here").str() == "p.yaml:3:3");  // the closest enclosing place
}

TEST_CASE("scalars follow YAML 1.2 core schema and quoted ones stay strings", "[yaml]") {
    auto doc = parse_yaml("a: 1e-3\nb: 42\nc: true\nd: ~\ne: '42'\nf: hello\ng: 0x10\nh: -.inf\ni: 1.5\n", "p.yaml");
    CHECK(doc.root["a"].is_number_float());
    CHECK(doc.root["a"] == 1e-3);
    CHECK(doc.root["b"] == 42);
    CHECK(doc.root["c"] == true);
    CHECK(doc.root["d"].is_null());
    CHECK(doc.root["e"] == "42");
    CHECK(doc.root["f"] == "hello");
    CHECK(doc.root["g"] == 16);
    CHECK(doc.root["h"] == -std::numeric_limits<double>::infinity());
    CHECK(doc.root["i"] == 1.5);
}

TEST_CASE("duplicate keys are refused with both places", "[yaml]") {
    CHECK_THROWS_WITH(parse_yaml("seed: 1\nname: a\nseed: 2\n", "p.yaml"),
                      "p.yaml:3:1: duplicate key 'seed' (first written at line 1); each key may appear once");
    CHECK_THROWS_WITH(parse_yaml("data: {a: 1, a: 2}\n", "p.yaml"), Catch::Contains("duplicate key 'a'"));
}

TEST_CASE("aliases expand, but recursive ones and explosions are refused", "[yaml]") {
    auto doc = parse_yaml("base: &b {lr: 0.1, betas: [0.9]}\ncopy: *b\n", "p.yaml");
    CHECK(doc.root["copy"]["lr"] == 0.1);
    // What an alias copies is written at the alias, key by key (a written param is checked).
    CHECK(doc.locate("copy.lr").str() == "p.yaml:2:7");
    CHECK(doc.locations.count("copy.betas[0]") == 1);

    CHECK_THROWS_WITH(parse_yaml("a: &x [1, *x]\n", "p.yaml"), Catch::Contains("recursive alias"));

    // "Billion laughs": each level multiplies the one before by ten.
    std::string bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
        bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) bomb += (j ? ", *l" : "*l") + std::to_string(i - 1);
        bomb += "]\n";
    }
    CHECK_THROWS_WITH(parse_yaml(bomb, "bomb.yaml"), Catch::Contains("more than 100000 values"));
}

TEST_CASE("absurd nesting is refused before the parser recurses", "[yaml]") {
    CHECK_THROWS_WITH(parse_yaml("a: " + std::string(100000, '[') + std::string(100000, ']'), "deep.yaml"),
                      Catch::Contains("deep.yaml:1:") && Catch::Contains("nesting deeper than 64"));
    std::string block;
    for (int i = 0; i < 200; ++i) block += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
    CHECK_THROWS_WITH(parse_yaml(block, "deep.yaml"), Catch::Contains("deep"));
    std::string dashes;
    for (int i = 0; i < 1000; ++i) dashes += "- ";
    CHECK_THROWS_WITH(parse_yaml(dashes + "x\n", "deep.yaml"), Catch::Contains("deep"));
}

TEST_CASE("malformed YAML gets the parser's message with the place", "[yaml]") {
    CHECK_THROWS_WITH(parse_yaml("a: [1, 2\nb: 3\n", "bad.yaml"), Catch::StartsWith("bad.yaml:") &&
                                                                      Catch::Contains("invalid YAML"));
    CHECK_THROWS_WITH(parse_yaml("a: 1\n---\nb: 2\n", "two.yaml"), Catch::Contains("one YAML document"));
    CHECK_THROWS_WITH(parse_yaml("? [a, b]\n: 1\n", "key.yaml"), Catch::Contains("keys must be plain scalars"));
    CHECK_THROWS_WITH(parse_yaml("a: !!python/object x\n", "tag.yaml"), Catch::Contains("tags"));
    CHECK_THROWS_WITH(parse_yaml(std::string(2 << 20, '#'), "big.yaml"), Catch::Contains("too large"));
    CHECK_THROWS_WITH(load_yaml_file("/nonexistent/p.yaml"), Catch::Contains("cannot open"));
}

TEST_CASE("text that is not UTF-8, or holds raw control characters, is refused with its place", "[yaml][text]") {
    CHECK_THROWS_WITH(parse_yaml("seed: 1\nname: caf\xe9\n", "p.yaml"),
                      "p.yaml:2:10: byte 0xE9 is not valid UTF-8; pipeline text must be UTF-8 (re-save the file as "
                      "UTF-8, or write the value in plain ASCII)");
    // Columns count characters: the bad byte after two 2-byte characters is column 9.
    CHECK_THROWS_WITH(parse_yaml("name: \xc3\xa9\xc3\xa9\xff\n", "p.yaml"), Catch::StartsWith("p.yaml:1:9: byte 0xFF"));
    CHECK_THROWS_WITH(parse_yaml("name: \xed\xa0\x80\n", "p.yaml"), Catch::Contains("byte 0xED is not valid UTF-8"));  // a surrogate
    CHECK_THROWS_WITH(parse_yaml("name: \xc0\xaf\n", "p.yaml"), Catch::Contains("byte 0xC0 is not valid UTF-8"));  // overlong '/'
    CHECK_THROWS_WITH(parse_yaml(std::string("name: a\0b\n", 10), "p.yaml"),
                      Catch::StartsWith("p.yaml:1:8: control character 0x00 (NUL)"));
    CHECK_THROWS_WITH(parse_yaml("output: a\x1b[31m\n", "p.yaml"), Catch::StartsWith("p.yaml:1:10: control character 0x1B"));
    // Tabs, CRLF line ends and any real UTF-8 are fine.
    auto doc = parse_yaml("name: \"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\"\r\nseed:\t3\r\n", "p.yaml");
    CHECK(doc.root["name"] == "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
    CHECK(doc.root["seed"] == 3);
    CHECK(printable(std::string("caf\xe9\x01", 5)) == "caf\\xE9\\x01");
}

TEST_CASE("numbers beyond what they are read into are refused with the limit, not wrapped", "[yaml][numbers]") {
    CHECK_THROWS_WITH(parse_yaml("seed: 9223372036854775808\n", "p.yaml"),
                      "p.yaml:1:7: '9223372036854775808' is outside the range of integers a pipeline holds "
                      "(-9223372036854775808 to 9223372036854775807)");
    CHECK(parse_yaml("seed: 9223372036854775807\n", "p.yaml").root["seed"] == INT64_MAX);
    CHECK(parse_yaml("seed: -9223372036854775808\n", "p.yaml").root["seed"] == INT64_MIN);
    CHECK_THROWS_WITH(parse_yaml("lr: 1e400\n", "p.yaml"),
                      "p.yaml:1:5: '1e400' is too large for a number (the largest is about 1.8e308; write .inf for "
                      "infinity)");
    CHECK_THROWS_WITH(parse_yaml("x: 0x10000000000000000\n", "p.yaml"), Catch::Contains("outside the range"));
    CHECK(parse_yaml("lr: 1e-400\n", "p.yaml").root["lr"] == 0.0);  // underflow is harmless
    CHECK(parse_yaml("lr: '1e400'\n", "p.yaml").root["lr"] == "1e400");  // quoted: a string
}
