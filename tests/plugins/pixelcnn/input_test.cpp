// What the plugins feed their networks (plugins/pixelcnn/plugin.cpp, as_input): the
// logits of the gated_pixelcnn and pixelcnn plugins, created through the loader as the host
// creates them, against the same network built directly from the same seed and given the
// levels as `input` says: level / (L - 1) for value, 2 level / (L - 1) - 1 for centered.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "loader/instance.hpp"
#include "networks.hpp"
#include "support/plugin_harness.hpp"

using genhost::testing::Buffer;
using genhost::engine::Generator;
using genhost::engine::Tensor;

namespace {

constexpr int64_t kLevels = 4, kSize = 9, kImages = 2;
constexpr uint64_t kSeed = 5;

// The plugin's logits [N, L, 1, H, W] of `levels` through the C capability.
std::vector<float> plugin_logits(const std::string& plugin, const nlohmann::json& params,
                                 const std::vector<int64_t>& levels) {
    genhost_data_info info{sizeof(genhost_data_info), 1, kSize, kSize, 0, 0.0f, 1.0f, 1};
    genhost::loader::HostServices services;
    services.seed = kSeed;
    services.num_threads = 1;
    auto instance =
        genhost::loader::PluginInstance::create(genhost::testing::built_plugins().find(plugin), params, &info, services);
    Buffer<int64_t> x({kImages, 1, kSize, kSize}, levels);
    Buffer<float> out({kImages, kLevels, 1, kSize, kSize});
    instance->check(instance->autoregressive()->logits(instance->raw(), x.get(), nullptr, out.get()), "logits");
    return out.values;
}

std::vector<float> network_logits(const pixelcnn::Network& net, const std::vector<int64_t>& levels, float scale,
                                  float offset) {
    std::vector<float> v;
    for (int64_t l : levels) v.push_back(float(l) * scale + offset);
    genhost::engine::NoGradGuard ng;
    Tensor t = net(Tensor::from_vector({kImages, 1, kSize, kSize}, v), {});
    return std::vector<float>(t.data(), t.data() + t.numel());
}

// The gated network of the tests below; its plugin params are {levels: 4, channels: 8,
// layers, first_kernel: 5, kernel: 3, output_channels: 8}.
pixelcnn::GatedConfig gated_config(int64_t layers) {
    pixelcnn::GatedConfig c;
    c.image = {1, kSize, kSize, kLevels, 0};
    c.channels = 8, c.layers = layers, c.first_kernel = 5, c.kernel = 3, c.output_channels = 8;
    return c;
}

std::vector<int64_t> random_levels() {
    Generator g(9);
    Tensor u = g.uniform({kImages * kSize * kSize});
    std::vector<int64_t> levels;
    for (int64_t i = 0; i < u.numel(); ++i) levels.push_back(std::min<int64_t>(int64_t(u.data()[i] * kLevels), kLevels - 1));
    return levels;
}

}  // namespace

TEST_CASE("input: value feeds level / (L - 1), input: centered 2 level / (L - 1) - 1", "[pixelcnn][input]") {
    const auto levels = random_levels();
    const float value_scale = 1.0f / float(kLevels - 1);
    for (const char* input : {"value", "centered"}) {
        const bool centered = std::string(input) == "centered";
        const float scale = centered ? 2 * value_scale : value_scale, offset = centered ? -1.0f : 0.0f;
        SECTION(std::string("gated_pixelcnn, ") + input) {
            genhost::engine::Parameters params;
            Generator init(kSeed);
            pixelcnn::GatedPixelCnn net(params, gated_config(3), init);
            const auto got = plugin_logits("gated_pixelcnn",
                                           {{"levels", kLevels}, {"channels", 8}, {"layers", 3}, {"first_kernel", 5},
                                            {"kernel", 3}, {"output_channels", 8}, {"input", input}},
                                           levels);
            CHECK(got == network_logits(net, levels, scale, offset));
        }
        SECTION(std::string("pixelcnn, ") + input) {
            pixelcnn::PixelCnnConfig c;
            c.image = {1, kSize, kSize, kLevels, 0};
            c.channels = 8, c.layers = 2, c.output_channels = 8;
            genhost::engine::Parameters params;
            Generator init(kSeed);
            pixelcnn::PixelCnn net(params, c, init);
            const auto got = plugin_logits(
                "pixelcnn", {{"levels", kLevels}, {"channels", 8}, {"layers", 2}, {"output_channels", 8}, {"input", input}},
                levels);
            CHECK(got == network_logits(net, levels, scale, offset));
        }
    }
}

TEST_CASE("input: centered lets the network tell the image's edge from black", "[pixelcnn][input]") {
    // An all-black image: with value every input is 0, like the zero padding beyond the
    // edges, so nothing distinguishes the first row from a later one but what biases teach
    // the deeper layers; centered makes black -1 and the first layer sees where the image begins.
    const std::vector<int64_t> black(kImages * kSize * kSize, 0);
    genhost::engine::Parameters params;
    Generator init(kSeed);
    pixelcnn::GatedPixelCnn net(params, gated_config(1), init);
    // One layer: its output at (y, 0) is a function of its input window only.
    auto at = [](const std::vector<float>& logits, int64_t y) {
        std::vector<float> v;
        for (int64_t l = 0; l < kLevels; ++l) v.push_back(logits[size_t((l * kSize + y) * kSize)]);
        return v;
    };
    const auto value = network_logits(net, black, 1.0f / 3, 0.0f);
    CHECK(at(value, 0) == at(value, 6));
    const auto centered = network_logits(net, black, 2.0f / 3, -1.0f);
    CHECK(at(centered, 0) != at(centered, 6));
    CHECK(at(centered, 3) == at(centered, 6));  // beyond the first layer's reach of 2 rows, rows look alike
}
