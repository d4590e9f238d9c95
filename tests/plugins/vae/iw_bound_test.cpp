// The importance-weighted bound (Burda et al. 2016): on average it lies above the ELBO
// and rises with K; a fixed seed gives the same numbers.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <utility>

#include "vae_harness.hpp"

namespace {

double mean(const std::vector<float>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }

}  // namespace

TEST_CASE("the importance-weighted bound is above the ELBO on average and rises with K", "[vae]") {
    for (const auto& [arch, likelihood] : {std::pair{"mlp", "bernoulli"}, {"conv", "bernoulli"}, {"mlp", "logistic"}}) {
        INFO(arch << " " << likelihood);
        vae_test::Vae vae({{"architecture", arch}, {"hidden", {64}}, {"conv_channels", {8, 16}}, {"latent_dim", 8},
                           {"likelihood", likelihood}},
                          {1, 16, 16, 5, 0.0f, 1.0f});
        std::vector<float> images;
        std::vector<int64_t> labels;
        vae_test::shapes(64, 16, images, labels);
        for (uint64_t step = 0; step < 30; ++step) vae.train_step(images, {}, step, 3e-3f);

        // The ELBO averaged over seeds, against single draws of the bound.
        double elbo = 0.0;
        for (uint64_t seed = 0; seed < 8; ++seed) elbo += mean(vae.log_likelihood(images, {}, 1, seed)) / 8;
        const double k5 = mean(vae.log_likelihood(images, {}, 5, 11));
        const double k50 = mean(vae.log_likelihood(images, {}, 50, 12));
        CHECK(std::isfinite(elbo));
        CHECK(k5 > elbo);
        CHECK(k50 > k5);
    }
}

TEST_CASE("the bound says what it is: discrete for logistic and categorical, else a density", "[vae]") {
    for (const auto& [likelihood, flags] :
         {std::pair{"bernoulli", 0u}, {"gaussian", 0u}, {"logistic", uint32_t{GENHOST_LIKELIHOOD_DISCRETE}},
          {"categorical", uint32_t{GENHOST_LIKELIHOOD_DISCRETE}}}) {
        INFO(likelihood);
        vae_test::Vae vae({{"architecture", "conv"}, {"conv_channels", {4}}, {"latent_dim", 4}, {"likelihood", likelihood}},
                          {1, 8, 8, 0, 0.0f, 1.0f});
        const genhost_likelihood* capability = vae.instance().likelihood();
        REQUIRE(capability->properties != nullptr);
        CHECK(capability->properties(vae.raw()) == flags);
    }
}

TEST_CASE("a discrete ELBO is at most 0: log P(x|z) <= 0 and KL >= 0, even when the model is sure", "[vae]") {
    // A black image: the edge bin, which can hold almost all the mass (a gaussian's
    // density there grows without bound). Every single-sample ELBO is <= 0, not only its mean.
    std::vector<float> images(2 * 64, 0.0f);
    for (const char* likelihood : {"logistic", "categorical"}) {
        INFO(likelihood);
        vae_test::Vae vae({{"architecture", "conv"}, {"conv_channels", {4}}, {"latent_dim", 4}, {"likelihood", likelihood}},
                          {1, 8, 8, 0, 0.0f, 1.0f});
        for (uint64_t step = 0; step < 20; ++step) vae.train_step(images, {}, step, 1e-2f);
        for (float b : vae.log_likelihood(images, {}, 1, 3)) {
            CHECK(std::isfinite(b));
            CHECK(b <= 0.0f);
        }
    }
}

TEST_CASE("the bound is reproducible for a seed and varies with it", "[vae]") {
    vae_test::Vae vae({{"hidden", {16}}, {"latent_dim", 4}}, {1, 8, 8, 0, 0.0f, 1.0f});
    std::vector<float> images(3 * 64);
    for (size_t i = 0; i < images.size(); ++i) images[i] = static_cast<float>(i % 7) / 6.0f;
    CHECK(vae.log_likelihood(images, {}, 4, 1) == vae.log_likelihood(images, {}, 4, 1));
    CHECK(vae.log_likelihood(images, {}, 4, 1) != vae.log_likelihood(images, {}, 4, 2));
    CHECK(vae.log_likelihood(images, {}, 1, 1) == vae.log_likelihood(images, {}, 1, 1));
}

TEST_CASE("the bound stays finite when one weight dominates: the logsumexp is stable", "[vae]") {
    // A gaussian with a tiny sigma makes log p(x|z) about -1e6 nats: exp() of it is 0 in
    // any float, so only a max-shifted logsumexp gives a finite bound.
    vae_test::Vae vae({{"hidden", {16}}, {"latent_dim", 4}, {"likelihood", "gaussian"}, {"gaussian_sigma", 1e-4}},
                      {1, 8, 8, 0, 0.0f, 1.0f});
    std::vector<float> images(2 * 64, 1.0f);
    auto bound = vae.log_likelihood(images, {}, 16, 3);
    for (float b : bound) {
        CHECK(std::isfinite(b));
        CHECK(b < -1e5f);
    }
}
