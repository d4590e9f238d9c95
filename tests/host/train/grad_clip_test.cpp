// clip_grad_norm against torch.nn.utils.clip_grad_norm_ (fixtures/clip.json).
#include "test_support.hpp"
#include "train/grad_clip.hpp"
#include "util/error.hpp"

using namespace genhost::train;
using namespace genhost::train::test;

TEST_CASE("clip_grad_norm matches torch's total norm and clipped gradients", "[train][clip]") {
    const nlohmann::json fx = load_fixture("clip.json");
    for (const auto& c : fx["cases"]) {
        const double norm_type = c["norm_type"].is_string() ? INFINITY : c["norm_type"].get<double>();
        DYNAMIC_SECTION("max_norm " << c["max_norm"].get<double>() << ", norm_type " << norm_type) {
            Model m;
            for (std::size_t i = 0; i < c["grads"].size(); ++i) {
                const auto g = c["grads"][i].get<std::vector<float>>();
                m.add("p" + std::to_string(i), std::vector<float>(g.size(), 0.0f));
                m.grads[i] = g;
            }
            const ClipResult r = clip_grad_norm(m.slots(), c["max_norm"].get<double>(), norm_type);
            CHECK(r.finite);
            CHECK(r.total_norm == Approx(c["total_norm"].get<double>()).epsilon(1e-5));
            for (std::size_t i = 0; i < m.names.size(); ++i)
                require_close(m.grads[i].data(), c["clipped"][i].get<std::vector<float>>(), 1e-5, 1e-8,
                              "clipped " + m.names[i]);
        }
    }
}

TEST_CASE("a non-finite norm is reported and the gradients are left alone", "[train][clip]") {
    Model m;
    m.add("a", {0.0f, 0.0f});
    m.add("b", {0.0f});
    m.grads[0] = {3.0f, 4.0f};
    m.grads[1] = {NAN};
    for (double norm_type : {2.0, 1.0, static_cast<double>(INFINITY)}) {
        const ClipResult r = clip_grad_norm(m.slots(), 1.0, norm_type);
        CHECK_FALSE(r.finite);
        CHECK(r.scale == 1.0);
        CHECK(m.grads[0] == std::vector<float>{3.0f, 4.0f});
    }
    m.grads[1] = {INFINITY};
    CHECK_FALSE(clip_grad_norm(m.slots(), 1.0).finite);
    CHECK(m.grads[0] == std::vector<float>{3.0f, 4.0f});
}

TEST_CASE("clipping below the limit leaves gradients untouched and bad arguments throw", "[train][clip]") {
    Model m;
    m.add("a", {0.0f, 0.0f});
    m.grads[0] = {3.0f, 4.0f};
    // Like torch, a norm exactly at the limit is still scaled by max_norm / (norm + 1e-6).
    const ClipResult r = clip_grad_norm(m.slots(), 5.1);
    CHECK(r.total_norm == 5.0);
    CHECK(r.scale == 1.0);
    CHECK(m.grads[0] == std::vector<float>{3.0f, 4.0f});
    CHECK(grad_norm(m.slots(), INFINITY) == 4.0);
    CHECK_THROWS_WITH(clip_grad_norm(m.slots(), 0.0), Catch::Contains("max_norm 0 is invalid"));
    CHECK_THROWS_WITH(clip_grad_norm(m.slots(), 1.0, 0.5), Catch::Contains("norm_type 0.5 is invalid"));
}
