// Spectral normalisation (spectral_norm.hpp) against torch.nn.utils.spectral_norm: u, v,
// sigma and W / sigma after each of three training-mode forwards, and no change to u or v
// outside training.
#include "fixtures.hpp"
#include "spectral_norm.hpp"

using namespace genhost::engine;
using gan_test::fixtures;
using gan_test::require_close;

TEST_CASE("spectral norm's power iteration, sigma and W / sigma match torch.nn.utils.spectral_norm", "[gan][sn]") {
    const auto& f = fixtures()["spectral_norm"];
    Parameters params;
    Tensor w = params.add_parameter("conv.weight", gan_test::tensor(f["weight"], {5, 3, 2, 2}));
    Generator init(3);
    gan::SpectralNorm sn(params, "conv.weight", w, init);
    const auto u0 = f["u0"].get<std::vector<float>>(), v0 = f["v0"].get<std::vector<float>>();
    Tensor u = params.find("conv.weight_u")->tensor, v = params.find("conv.weight_v")->tensor;
    std::copy(u0.begin(), u0.end(), u.data());
    std::copy(v0.begin(), v0.end(), v.data());

    int step = 0;
    for (const auto& want : f["steps"]) {
        INFO("step " << ++step);
        Tensor w_sn = sn(/*update=*/true);
        require_close(u, want["u"], 1e-5, 1e-6, "u");
        require_close(v, want["v"], 1e-5, 1e-6, "v");
        CHECK(sn.sigma() == Approx(want["sigma"].get<double>()).epsilon(1e-5));
        require_close(w_sn, want["weight_sn"], 1e-5, 1e-6, "W / sigma");
    }
    const std::vector<float> u_before(u.data(), u.data() + u.numel());
    sn(/*update=*/false);
    CHECK(std::vector<float>(u.data(), u.data() + u.numel()) == u_before);
}
