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

// |got - want| <= atol + rtol |want| everywhere, else a failure naming the first element that is not.
inline void require_close(const float* got, const std::vector<float>& want, double rtol, double atol,
                          const std::string& what) {
    for (size_t i = 0; i < want.size(); ++i) {
        const double g = got[i], w = want[i];
        if (!(std::fabs(g - w) <= atol + rtol * std::fabs(w))) {
            std::ostringstream msg;
            msg.precision(9);
            msg << what << " element " << i << " of " << want.size() << ": got " << g << ", torch has " << w;
            FAIL(msg.str());
        }
    }
    SUCCEED(what);
}

inline void require_close(const genhost::engine::Tensor& got, const nlohmann::json& want, double rtol, double atol,
                          const std::string& what) {
    const auto w = want.get<std::vector<float>>();
    REQUIRE(got.numel() == static_cast<int64_t>(w.size()));
    require_close(got.data(), w, rtol, atol, what);
}

}  // namespace gan_test
