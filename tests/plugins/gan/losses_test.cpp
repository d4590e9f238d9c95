// Each adversarial loss (losses.hpp) against PyTorch: values and gradients in the scores.
#include "fixtures.hpp"
#include "losses.hpp"

using namespace genhost::engine;
using gan_test::fixtures;
using gan_test::require_close;

TEST_CASE("every D and G loss and its gradient in the scores match PyTorch", "[gan][losses]") {
    const auto& f = fixtures()["losses"];
    for (const auto& [name, want] : f["cases"].items()) {
        INFO(name);
        const gan::Loss loss = gan::parse_loss(name);
        Tensor s_real = gan_test::tensor(f["s_real"], {6}), s_fake = gan_test::tensor(f["s_fake"], {6});
        s_real.set_requires_grad(true), s_fake.set_requires_grad(true);
        Tensor d = gan::discriminator_loss(loss, s_real, s_fake);
        d.backward();
        CHECK(d.item() == Approx(want["d_loss"].get<double>()).epsilon(1e-5).margin(1e-6));
        require_close(s_real.grad(), want["d_grad_real"], 1e-5, 1e-7, name + " dL_D/ds_real");
        require_close(s_fake.grad(), want["d_grad_fake"], 1e-5, 1e-7, name + " dL_D/ds_fake");

        Tensor s_fake2 = gan_test::tensor(f["s_fake"], {6});
        s_fake2.set_requires_grad(true);
        Tensor g = gan::generator_loss(loss, s_fake2);
        g.backward();
        CHECK(g.item() == Approx(want["g_loss"].get<double>()).epsilon(1e-5).margin(1e-6));
        require_close(s_fake2.grad(), want["g_grad_fake"], 1e-5, 1e-7, name + " dL_G/ds_fake");
    }
}

TEST_CASE("an unknown loss name is refused with the list of losses", "[gan][losses]") {
    CHECK_THROWS_WITH(gan::parse_loss("wgan"), Catch::Contains("minimax, non_saturating, wasserstein, lsgan, hinge"));
}
