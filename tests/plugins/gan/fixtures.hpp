// fixtures/gan.json (make_fixtures.py) and the comparisons the GAN tests share.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

#include "support/close.hpp"

namespace gan_test {

inline const nlohmann::json& fixtures() {
    static const nlohmann::json j = [] {
        std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/plugins/gan/fixtures/gan.json");
        REQUIRE(in.good());
        return nlohmann::json::parse(in);
    }();
    return j;
}

inline genhost::engine::Tensor tensor(const nlohmann::json& values, const genhost::engine::Shape& shape) {
    return genhost::engine::Tensor::from_vector(shape, values.get<std::vector<float>>());
}

using genhost::testing::require_close;

inline void require_close(const genhost::engine::Tensor& got, const nlohmann::json& want, double rtol, double atol,
                          const std::string& what) {
    const auto w = want.get<std::vector<float>>();
    REQUIRE(got.numel() == static_cast<int64_t>(w.size()));
    require_close(got.data(), w, rtol, atol, what);
}

}  // namespace gan_test
