// The discriminator with fixed weights against PyTorch: scores, the R1 penalty, and the
// gradients of the lazily regularised D loss in every weight, which differentiate through
// a gradient (double backward through conv, linear, leaky ReLU, pooling and the
// minibatch stddev).
#include "discriminator.hpp"
#include "fixtures.hpp"
#include "losses.hpp"
#include "r1.hpp"

using namespace genhost::engine;
using stylegan_test::require_close;
using stylegan_test::tensor;

TEST_CASE("discriminator scores, R1 and the lazily scaled D loss's double backward match PyTorch", "[stylegan][r1]") {
    const auto& c = stylegan_test::cases()["r1"];
    const auto ch = c["channels"].get<std::vector<int64_t>>();
    Parameters params;
    params.set_group("discriminator");
    Generator init(0);
    stylegan::Discriminator d(params, "discriminator", 1, {ch[0], ch[1], ch[2]}, init);
    stylegan_test::set_weights(params, c["weights"]);

    const int64_t n = static_cast<int64_t>(c["scores_real"].size());
    Tensor real = tensor(c["real"], {n, 1, 28, 28}), fake = tensor(c["fake"], {n, 1, 28, 28});
    Tensor s_real = d(real), s_fake = d(fake);
    require_close(s_real, c["scores_real"], 1e-4, 1e-5, "D(x)");
    require_close(s_fake, c["scores_fake"], 1e-4, 1e-5, "D(G(z))");

    Tensor r1 = stylegan::r1_penalty([&](const Tensor& x) { return d(x); }, real);
    CHECK(r1.item() == Approx(c["r1"].get<double>()).epsilon(1e-4));
    const float scale = 0.5f * c["gamma"].get<float>() * c["every"].get<float>();
    Tensor loss = gan::discriminator_loss(gan::Loss::non_saturating, s_real, s_fake) + scale * r1;
    CHECK(loss.item() == Approx(c["loss"].get<double>()).epsilon(1e-4));
    params.zero_grad();
    loss.backward();
    for (const auto& [name, want] : c["grads"].items()) {
        const NamedTensor* e = params.find(name);
        REQUIRE(e != nullptr);
        require_close(e->tensor.grad(), want, 2e-3, 2e-5, "dL/d " + name);
    }
}
