// The networks against their PyTorch twins (make_fixtures.py), same weights and inputs:
// masks (with the channel order of RGB images), residual blocks, the gated stacks, the
// vertical-to-horizontal link, skips and class biases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "gated.hpp"
#include "pixelcnn.hpp"

using namespace genhost::engine;

namespace {

// make_fixtures.py's weight: element k of the index-th parameter in sorted name order.
void set_weights(const Parameters& params) {
    std::vector<const NamedTensor*> sorted;
    for (const auto& e : params.entries()) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (size_t index = 0; index < sorted.size(); ++index) {
        Tensor t = sorted[index]->tensor;
        const Shape& s = t.shape();
        double scale = 0.1;
        if (s.size() > 1) {
            int64_t fan_in = 1;
            for (size_t d = 1; d < s.size(); ++d) fan_in *= s[d];
            scale = 1.0 / std::sqrt(double(fan_in));
        }
        for (int64_t k = 0; k < t.numel(); ++k)
            t.data()[k] = static_cast<float>(std::sin(0.37 * double(k) + 1.1 * double(index)) * scale);
    }
}

}  // namespace

TEST_CASE("the networks match their PyTorch twins", "[pixelcnn][torch]") {
    std::ifstream in(std::string(GENHOST_TEST_DATA_DIR) + "/plugins/pixelcnn/fixtures/forward.json");
    REQUIRE(in.good());
    const auto f = nlohmann::json::parse(in);
    for (const auto& c : f["cases"]) {
        const auto& cfg = c["config"];
        INFO(cfg["name"].get<std::string>());
        pixelcnn::ImageShape image;
        image.channels = cfg.value("image_channels", 1);
        image.height = image.width = cfg["size"];
        image.levels = cfg["levels"];
        image.classes = cfg.value("classes", 0);
        Parameters params;
        Generator init(0);
        std::unique_ptr<pixelcnn::Network> net;
        if (cfg["kind"] == "pixelcnn") {
            pixelcnn::PixelCnnConfig p;
            p.image = image, p.channels = cfg["channels"], p.layers = cfg["layers"], p.residual = cfg["residual"];
            p.output_channels = cfg["output_channels"];
            net = std::make_unique<pixelcnn::PixelCnn>(params, p, init);
        } else {
            pixelcnn::GatedConfig g;
            g.image = image, g.channels = cfg["channels"], g.layers = cfg["layers"];
            g.first_kernel = cfg["first_kernel"], g.kernel = cfg["kernel"], g.output_channels = cfg["output_channels"];
            net = std::make_unique<pixelcnn::GatedPixelCnn>(params, g, init);
        }
        set_weights(params);
        const auto levels = c["levels"].get<std::vector<int64_t>>();
        std::vector<float> x(levels.size());
        for (size_t i = 0; i < x.size(); ++i) x[i] = float(levels[i]) / float(image.levels - 1);
        const int64_t n = int64_t(levels.size()) / (image.channels * image.height * image.width);
        NoGradGuard no_grad;
        Tensor logits = (*net)(Tensor::from_vector({n, image.channels, image.height, image.width}, x),
                               c["labels"].get<std::vector<int64_t>>());
        const auto expect = c["logits"].get<std::vector<float>>();
        CHECK(logits.shape() == c["shape"].get<Shape>());
        REQUIRE(logits.numel() == int64_t(expect.size()));
        for (size_t i = 0; i < expect.size(); ++i)
            if (std::abs(logits.data()[i] - expect[i]) > 1e-4f + 1e-4f * std::abs(expect[i]))
                FAIL("logit " << i << ": " << logits.data()[i] << " vs torch " << expect[i]);
    }
}
