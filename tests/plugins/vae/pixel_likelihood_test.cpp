// The discrete pixel likelihoods (logistic, categorical) alone, against PyTorch
// (fixtures/discrete.json, written by make_fixtures.py in float64 from the CDF difference):
// log p(x|z) per image and its gradient with respect to the decoder's outputs, through
// log_prob (evaluation) and nll_mean (training), with edge bins and extreme scales.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "pixel_likelihood.hpp"
#include "support/fixture_cases.hpp"
#include "support/close.hpp"

using namespace genhost::engine;
using genhost::testing::require_close;

namespace {

nlohmann::json cases() { return genhost::testing::fixture_cases("plugins/vae/fixtures/discrete.json"); }

vae::PixelModel model_of(const nlohmann::json& c) {
    return c["likelihood"] == "logistic" ? vae::PixelModel::logistic : vae::PixelModel::categorical;
}

Tensor decoded_of(const nlohmann::json& c) {
    Tensor t = Tensor::from_vector(c["decoded"]["shape"].get<Shape>(), c["decoded"]["values"].get<std::vector<float>>());
    t.set_requires_grad(true);
    return t;
}

std::vector<float> scaled(std::vector<float> v, float factor) {
    for (float& f : v) f *= factor;
    return v;
}

}  // namespace

TEST_CASE("discrete log p(x|z) and its gradient match PyTorch, edge bins and extreme scales included", "[vae]") {
    for (const auto& c : cases()) {
        INFO(c["name"].get<std::string>());
        Parameters params;
        const int64_t pixels = c["pixels"];
        const vae::PixelLikelihood likelihood(params, model_of(c), pixels, 0.1f, 0.01f);
        const auto x_values = c["x"].get<std::vector<float>>();
        const int64_t n = static_cast<int64_t>(x_values.size()) / pixels;
        const Tensor x = Tensor::from_vector({n, pixels}, x_values);
        const auto log_prob = c["log_prob"].get<std::vector<float>>();
        const auto grad = c["grad"].get<std::vector<float>>();

        Tensor decoded = decoded_of(c);
        Tensor got = likelihood.log_prob(decoded, x);
        REQUIRE(got.shape() == Shape{n});
        require_close(got.data(), log_prob, 1e-5, 1e-4, "log p(x|z)");
        sum(got).backward();
        require_close(decoded.grad().data(), grad, 1e-4, 1e-4, "d log p(x|z) / d decoded");

        // nll_mean, the training loss (cross_entropy for categorical): -mean(log_prob).
        Tensor decoded2 = decoded_of(c);
        Tensor nll = likelihood.nll_mean(decoded2, x);
        double expected = 0;
        for (float v : log_prob) expected -= v / static_cast<double>(n);
        CHECK(nll.item() == Approx(expected).epsilon(1e-5).margin(1e-4));
        nll.backward();
        require_close(decoded2.grad().data(), scaled(grad, -1.0f / static_cast<float>(n)), 1e-4, 1e-4,
                      "d nll_mean / d decoded");
    }
}

TEST_CASE("the discrete likelihoods' mean images: the clamped location, the expected level / 255", "[vae]") {
    Parameters params;
    NoGradGuard no_grad;
    // logistic: [m_1, m_2, m_3, log s_1, log s_2, log s_3]
    const vae::PixelLikelihood logistic(params, vae::PixelModel::logistic, 3, 0.1f, 0.01f);
    Tensor mean = logistic.mean_image(Tensor::from_vector({1, 6}, {-0.3f, 0.4f, 1.2f, -3.0f, -3.0f, -3.0f}));
    CHECK(mean.to_vector() == std::vector<float>{0.0f, 0.4f, 1.0f});

    // categorical, 2 pixels: all mass on level 51 for the first; levels 0 and 255 alike for the second.
    const vae::PixelLikelihood categorical(params, vae::PixelModel::categorical, 2, 0.1f, 0.01f);
    std::vector<float> logits(2 * 256, -100.0f);
    logits[51 * 2 + 0] = 0.0f;
    logits[0 * 2 + 1] = logits[255 * 2 + 1] = 0.0f;
    mean = categorical.mean_image(Tensor::from_vector({1, 512}, logits));
    CHECK(mean.data()[0] == Approx(0.2f).margin(1e-6));
    CHECK(mean.data()[1] == Approx(0.5f).margin(1e-6));
}
