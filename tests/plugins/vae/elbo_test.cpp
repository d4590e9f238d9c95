// The ELBO of tiny fixed networks against PyTorch (fixtures/elbo.json, written by
// make_fixtures.py): encoder, decoder, each likelihood and the KL, for mlp and conv.
#include <catch2/catch.hpp>

#include <fstream>
#include <numeric>

#include "vae_harness.hpp"
#include "support/fixture_cases.hpp"

namespace {

nlohmann::json cases() { return genhost::testing::fixture_cases("plugins/vae/fixtures/elbo.json"); }

// A fixture case's data description and labels.
vae_test::Data data_of(const nlohmann::json& c) {
    const auto& d = c["data"];
    return {d["channels"], d["height"], d["width"], d["num_classes"], d["range"][0], d["range"][1]};
}

std::vector<int64_t> labels_of(const nlohmann::json& c) {
    return data_of(c).num_classes ? c["labels"].get<std::vector<int64_t>>() : std::vector<int64_t>{};
}

}  // namespace

TEST_CASE("the ELBO of tiny networks matches PyTorch for each architecture and likelihood", "[vae]") {
    for (const auto& c : cases()) {
        INFO(c["name"].get<std::string>());
        vae_test::Vae vae(c["params"], data_of(c));
        vae.set_weights(c["weights"]);
        const auto labels = labels_of(c);
        const auto got = vae.log_likelihood(c["images"].get<std::vector<float>>(), labels, 1, 7);
        const auto expected = c["elbo"].get<std::vector<float>>();
        REQUIRE(got.size() == expected.size());
        for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).epsilon(1e-5).margin(1e-4));
    }
}

TEST_CASE("the training losses of tiny networks match PyTorch: recon = -log p(x|z), kl = KL(q || p)", "[vae]") {
    for (const auto& c : cases()) {
        INFO(c["name"].get<std::string>());
        vae_test::Vae vae(c["params"], data_of(c));
        vae.set_weights(c["weights"]);
        const auto labels = labels_of(c);
        const auto log_px = c["log_px"].get<std::vector<double>>();
        const auto kl = c["kl"].get<std::vector<double>>();
        const double recon = -std::accumulate(log_px.begin(), log_px.end(), 0.0) / log_px.size();
        const double kl_mean = std::accumulate(kl.begin(), kl.end(), 0.0) / kl.size();
        const auto losses = vae.train_step(c["images"].get<std::vector<float>>(), labels, 0, 0.0f);
        CHECK(losses[1] == Approx(recon).epsilon(1e-5).margin(1e-4));
        CHECK(losses[2] == Approx(kl_mean).epsilon(1e-5).margin(1e-4));
        CHECK(losses[0] == Approx(recon + kl_mean).epsilon(1e-5).margin(1e-4));
    }
}
