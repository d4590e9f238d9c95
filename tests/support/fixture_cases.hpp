// The "cases" of a PyTorch fixture file (written by a make_fixtures.py beside the tests).
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace genhost::testing {

// path is relative to tests/, e.g. "plugins/vae/fixtures/elbo.json".
inline nlohmann::json fixture_cases(const std::string& path) {
    std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/" + path);
    INFO("fixture " << path << " (regenerate it with the make_fixtures.py beside the test)");
    REQUIRE(in.good());
    return nlohmann::json::parse(in)["cases"];
}

}  // namespace genhost::testing
