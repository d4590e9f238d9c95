// fixtures/stylegan.json (make_fixtures.py) and what the StyleGAN tests share with it.
#pragma once

#include <algorithm>

#include <genhost/engine/engine.hpp>

#include "support/close.hpp"
#include "support/fixture_cases.hpp"

namespace stylegan_test {

inline const nlohmann::json& cases() {
    static const nlohmann::json j = genhost::testing::fixture_cases("plugins/stylegan/fixtures/stylegan.json");
    return j;
}

inline genhost::engine::Tensor tensor(const nlohmann::json& values, const genhost::engine::Shape& shape) {
    return genhost::engine::Tensor::from_vector(shape, values.get<std::vector<float>>());
}

inline void require_close(const genhost::engine::Tensor& got, const nlohmann::json& want, double rtol, double atol,
                          const std::string& what) {
    const auto w = want.get<std::vector<float>>();
    REQUIRE(got.numel() == static_cast<int64_t>(w.size()));
    genhost::testing::require_close(got.data(), w, rtol, atol, what);
}

// Every registered tensor from the fixture, by name and shape, and no other.
inline void set_weights(const genhost::engine::Parameters& params, const nlohmann::json& weights) {
    REQUIRE(params.entries().size() == weights.size());
    for (const genhost::engine::NamedTensor& e : params.entries()) {
        INFO(e.name);
        REQUIRE(weights.contains(e.name));
        const auto& w = weights[e.name];
        REQUIRE(e.tensor.shape() == w["shape"].get<genhost::engine::Shape>());
        const auto v = w["values"].get<std::vector<float>>();
        genhost::engine::Tensor t = e.tensor;  // a handle on the registered storage
        std::copy(v.begin(), v.end(), t.data());
    }
}

}  // namespace stylegan_test
