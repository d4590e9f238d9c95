// A few training steps on the `shapes` data raise the ELBO of a fixed batch, for mlp and
// conv, plain and conditional, each likelihood (the discrete ones on the data's 8-bit
// levels); a fixed seed gives the same run twice.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include <genhost/cpp/tensor_view.hpp>

#include "vae_harness.hpp"

namespace {

double mean(const std::vector<float>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }

}  // namespace

TEST_CASE("a few training steps on shapes raise the ELBO, for mlp and conv", "[vae]") {
    std::vector<float> images;
    std::vector<int64_t> labels;
    vae_test::shapes(64, 16, images, labels);
    const nlohmann::json variants[] = {
        {{"architecture", "mlp"}, {"hidden", {64}}},
        {{"architecture", "conv"}, {"conv_channels", {8, 16}}},
        {{"architecture", "conv"}, {"conv_channels", {8}}, {"conditional", true}, {"kl_warmup_steps", 10}},
        {{"architecture", "mlp"}, {"hidden", {64}}, {"likelihood", "gaussian"}, {"gaussian_variance", "learned"}},
        {{"architecture", "mlp"}, {"hidden", {64}}, {"likelihood", "gaussian"}, {"beta", 4.0}},
        {{"architecture", "mlp"}, {"hidden", {64}}, {"likelihood", "logistic"}},
        {{"architecture", "conv"}, {"conv_channels", {8}}, {"likelihood", "categorical"}},
    };
    for (nlohmann::json params : variants) {
        INFO(params.dump());
        params["latent_dim"] = 8;
        const bool conditional = params.value("conditional", false);
        const std::vector<int64_t> y = conditional ? labels : std::vector<int64_t>{};
        vae_test::Vae vae(params, {1, 16, 16, 5, 0.0f, 1.0f});
        const double before = mean(vae.log_likelihood(images, y, 1, 99));
        std::vector<float> first, last;
        for (uint64_t step = 0; step < 25; ++step) {
            auto losses = vae.train_step(images, y, step, 3e-3f);
            REQUIRE(std::isfinite(losses[0]));
            if (params.value("beta", 1.0) == 1.0 && !params.contains("kl_warmup_steps"))
                CHECK(losses[0] == Approx(losses[1] + losses[2]).epsilon(1e-5));
            (step == 0 ? first : last) = losses;
        }
        const double after = mean(vae.log_likelihood(images, y, 1, 99));
        CHECK(last[0] < first[0]);
        CHECK(after > before + 0.05 * std::fabs(before));
    }
}

TEST_CASE("training and sampling are deterministic for a fixed seed", "[vae]") {
    std::vector<float> images;
    std::vector<int64_t> labels;
    vae_test::shapes(16, 16, images, labels);
    auto run = [&](uint64_t seed) {
        vae_test::Vae vae({{"architecture", "conv"}, {"conv_channels", {4}}, {"latent_dim", 4}},
                          {1, 16, 16, 0, 0.0f, 1.0f}, seed);
        std::vector<float> trace;
        for (uint64_t step = 0; step < 3; ++step) {
            auto l = vae.train_step(images, {}, step);
            trace.insert(trace.end(), l.begin(), l.end());
        }
        auto w = vae.all_weights();
        trace.insert(trace.end(), w.begin(), w.end());
        vae_test::Buffer<float> samples({4, 1, 16, 16});
        genhost_sample_request request{sizeof request, 5, nullptr, nullptr};
        vae.check(vae.instance().generator()->generate(vae.raw(), &request, samples.get()), "generate");
        trace.insert(trace.end(), samples.values.begin(), samples.values.end());
        return trace;
    };
    const auto a = run(1);
    CHECK(a == run(1));
    CHECK(a != run(2));
}

TEST_CASE("a sample depends on its own seed, not on the batch it is drawn in", "[vae]") {
    vae_test::Vae vae({{"latent_dim", 4}}, {1, 16, 16, 0, 0.0f, 1.0f}, 3);
    auto draw = [&](std::vector<uint64_t> seeds) {
        std::vector<int64_t> n = {static_cast<int64_t>(seeds.size())};
        DLTensor s = genhost::make_dltensor(seeds.data(), n);
        vae_test::Buffer<float> samples({n[0], 1, 16, 16});
        genhost_sample_request request{sizeof request, 99, nullptr, &s};
        vae.check(vae.instance().generator()->generate(vae.raw(), &request, samples.get()), "generate");
        return samples.values;
    };
    const auto together = draw({11, 12, 13});
    auto apart = draw({11});
    for (uint64_t seed : {12, 13}) {
        auto one = draw({seed});
        apart.insert(apart.end(), one.begin(), one.end());
    }
    // The same codes; the decoder's matrix products may round differently by batch size.
    REQUIRE(together.size() == apart.size());
    for (size_t i = 0; i < together.size(); ++i) REQUIRE(together[i] == Approx(apart[i]).margin(1e-5));
    CHECK(draw({11}) != draw({12}));
}
