// The timestep embedding against diffusers' formula run by PyTorch (make_fixtures.py).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "embedding.hpp"

TEST_CASE("timestep embedding matches diffusers' get_timestep_embedding", "[unet]") {
    std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/plugins/unet/fixtures/timestep_embedding.json");
    REQUIRE(in.good());
    const auto fixture = nlohmann::json::parse(in);
    for (const auto& c : fixture["cases"]) {
        const int64_t dim = c["dim"];
        const auto timesteps = c["timesteps"].get<std::vector<float>>();
        const auto expected = c["embedding"].get<std::vector<double>>();
        const auto actual = genhost::unet::timestep_embedding(timesteps, dim).to_vector();
        REQUIRE(actual.size() == expected.size());
        for (size_t i = 0; i < actual.size(); ++i) {
            INFO("dim " << dim << ", element " << i);
            // t * freq reaches 1e3, where one float ulp of the argument is 6e-5.
            CHECK(std::fabs(actual[i] - expected[i]) <= 2e-4);
        }
    }
}

TEST_CASE("timestep embedding refuses a dimension below 2", "[unet]") {
    CHECK_THROWS_WITH(genhost::unet::timestep_embedding({1.0f}, 1), Catch::Contains("dim must be >= 2"));
}
