// The VQ-VAE's losses, straight-through gradients and codebook updates against PyTorch
// (fixtures/vqvae.json, from make_fixtures.py), through the plugin's C capabilities.
#include "vqvae_harness.hpp"

using namespace vqvae_test;

namespace {

std::unique_ptr<VqVae> from_case(const nlohmann::json& c) {
    auto m = std::make_unique<VqVae>(c["params"], c["data"]["channels"].get<int64_t>(), c["data"]["height"].get<int64_t>(),
                                     c["data"]["width"].get<int64_t>());
    m->set_weights(c["weights"]);
    return m;
}

}  // namespace

TEST_CASE("losses and perplexity of one step equal PyTorch's", "[vqvae]") {
    for (const auto& c : fixtures()["cases"]) {
        INFO(c["name"].get<std::string>());
        auto m = from_case(c);
        const std::vector<float> losses = m->train_phase(c["images"].get<std::vector<float>>());
        // loss, recon, codebook, commitment, perplexity (restarts are off in the fixtures)
        require_close(losses.data(), c["losses"].get<std::vector<float>>(), 1e-4, 1e-6, "losses");
        CHECK(losses[5] == 0.0f);
    }
}

TEST_CASE("gradients equal PyTorch's: straight through to the encoder, the codebook loss to the codes", "[vqvae]") {
    for (const auto& c : fixtures()["cases"]) {
        INFO(c["name"].get<std::string>());
        auto m = from_case(c);
        m->train_phase(c["images"].get<std::vector<float>>());
        for (auto g = c["grads"].begin(); g != c["grads"].end(); ++g) {
            const genhost_parameter* p = m->parameter(g.key());
            REQUIRE(p->grad != nullptr);
            require_close(static_cast<const float*>(p->grad->data), g.value()["values"].get<std::vector<float>>(), 2e-3,
                          2e-6, "grad of " + g.key());
        }
    }
}

TEST_CASE("ema: the codebook is a buffer the model updates by moving averages, as PyTorch computes them", "[vqvae]") {
    const auto& c = fixtures()["cases"][1];
    REQUIRE(c["params"]["codebook_update"] == "ema");
    auto m = from_case(c);
    const genhost_parameter* codebook = m->parameter("quantizer.codebook");
    CHECK((codebook->flags & GENHOST_PARAMETER_BUFFER) != 0);
    CHECK(codebook->grad == nullptr);
    // The statistics are what data parallelism must combine, by averaging (quantizer.hpp).
    CHECK((m->parameter("quantizer.ema_count")->flags & GENHOST_PARAMETER_REDUCE_MEAN) != 0);
    CHECK((m->parameter("quantizer.ema_sum")->flags & GENHOST_PARAMETER_REDUCE_MEAN) != 0);
    m->train_phase(c["images"].get<std::vector<float>>());
    for (auto u = c["after_update"].begin(); u != c["after_update"].end(); ++u)
        require_close(static_cast<const float*>(m->parameter(u.key())->value->data),
                      u.value()["values"].get<std::vector<float>>(), 1e-4, 1e-6, u.key() + " after the step");
}

TEST_CASE("ema: dead codes are restarted at encodings of the batch", "[vqvae]") {
    nlohmann::json c = fixtures()["cases"][1];
    c["params"]["dead_code_threshold"] = 1.0;
    auto m = from_case(c);
    // Codes 0 and 1 have (almost) never been used: their counts are far below the threshold.
    float* count = static_cast<float*>(m->parameter("quantizer.ema_count")->value->data);
    count[0] = count[1] = 1e-3f;
    const std::vector<float> losses = m->train_phase(c["images"].get<std::vector<float>>());
    CHECK(losses[5] >= 2.0f);
    CHECK(count[0] == 1.0f);
    CHECK(count[1] == 1.0f);
    // A restarted code is an encoding of the batch: encoding the batch finds it exactly.
    const std::vector<int64_t> codes = m->encode(c["images"].get<std::vector<float>>());
    CHECK(std::find(codes.begin(), codes.end(), 0) != codes.end());
}

TEST_CASE("encode_codes gives the nearest codes, decode_codes the decoder's images, as PyTorch", "[vqvae]") {
    for (const auto& c : fixtures()["cases"]) {
        INFO(c["name"].get<std::string>());
        auto m = from_case(c);
        const std::vector<int64_t> codes = m->encode(c["images"].get<std::vector<float>>());
        CHECK(codes == c["codes"].get<std::vector<int64_t>>());
        const std::vector<float> images = m->decode(codes);
        require_close(images.data(), c["decoded"].get<std::vector<float>>(), 1e-4, 1e-6, "decoded images");
    }
}

TEST_CASE("the quantizer capability reports K and the code-map shape, and refuses codes outside the codebook",
          "[vqvae]") {
    VqVae m({{"codebook_size", 32}, {"code_dim", 4}, {"hidden", 8}, {"res_blocks", 0}}, 1, 28, 28);
    CHECK(m.instance().codebook_size() == 32);
    CHECK(m.instance().code_shape() == std::array<int64_t, 3>{1, 7, 7});
    std::vector<int64_t> codes(49, 3);
    codes[10] = 32;
    CHECK_THROWS_WITH(m.decode(codes), Catch::Contains("codes[10] is 32, outside the codebook [0, 32)"));
}

TEST_CASE("images whose sides are not multiples of 4 are refused with the reason", "[vqvae]") {
    CHECK_THROWS_WITH(VqVae(nlohmann::json::object(), 1, 30, 30, 0), Catch::Contains("multiples of 4, got 30x30"));
}
