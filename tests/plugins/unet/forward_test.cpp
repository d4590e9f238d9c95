// The whole forward pass against the PyTorch twin (bench/unet/torch_unet.py), same weights:
// the architecture (names, shapes, skip order, attention heads, class embedding) is the one
// the PyTorch reference benchmarks. Fixture: make_fixtures.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include <genhost/engine/engine.hpp>

#include "unet.hpp"

using namespace genhost::engine;

namespace {

// make_fixtures.py's weight_value: element k of the index-th parameter in name order.
float weight_value(size_t index, int64_t k, int64_t fan_in) {
    return static_cast<float>(std::sin(0.37 * double(k) + 1.1 * double(index)) / std::sqrt(double(fan_in)));
}

}  // namespace

TEST_CASE("the forward pass matches the PyTorch twin with the same weights", "[unet]") {
    std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/plugins/unet/fixtures/forward.json");
    REQUIRE(in.good());
    const auto f = nlohmann::json::parse(in);
    const auto& c = f["config"];
    genhost::unet::UNetConfig config;
    config.in_channels = c["in_channels"], config.image_size = c["image_size"];
    config.base_channels = c["base_channels"], config.channel_mult = c["channel_mult"].get<std::vector<int64_t>>();
    config.layers_per_block = c["layers_per_block"];
    config.attention_resolutions = c["attention_resolutions"].get<std::vector<int64_t>>();
    config.attention_head_dim = c["attention_head_dim"], config.norm_num_groups = c["norm_num_groups"];
    config.num_class_embeds = c["num_class_embeds"];

    Parameters params;
    Generator init(0);
    genhost::unet::UNet net(params, config, init);

    // Same names and shapes as PyTorch, then the formula's weights.
    std::vector<std::string> names;
    for (const auto& e : params.entries()) names.push_back(e.name);
    std::sort(names.begin(), names.end());
    REQUIRE(names.size() == f["parameters"].size());
    for (size_t i = 0; i < names.size(); ++i) {
        const auto& expected = f["parameters"][i];
        INFO("parameter " << i << ": " << names[i] << " vs " << expected["name"].get<std::string>());
        REQUIRE(names[i] == expected["name"].get<std::string>());
        Tensor t = params.find(names[i])->tensor;
        REQUIRE(t.shape() == expected["shape"].get<Shape>());
        const int64_t fan_in = t.numel() / t.size(0);
        for (int64_t k = 0; k < t.numel(); ++k) t.data()[k] = weight_value(i, k, fan_in);
    }

    const int64_t size = config.image_size;
    Tensor x = Tensor::from_vector({2, 1, size, size}, f["input"].get<std::vector<float>>());
    NoGradGuard no_grad;
    Generator unused(0);
    const auto y = net(x, f["timesteps"].get<std::vector<float>>(), f["labels"].get<std::vector<int64_t>>(), false,
                       unused).to_vector();
    const auto expected = f["output"].get<std::vector<double>>();
    REQUIRE(y.size() == expected.size());
    double scale = 0;
    for (double v : expected) scale = std::max(scale, std::fabs(v));
    for (size_t i = 0; i < y.size(); ++i) {
        INFO("output element " << i);
        CHECK(std::fabs(y[i] - expected[i]) <= 1e-4 * scale + 1e-5);
    }
}
