// The modulated convolution (layers.hpp) against StyleGAN2's official per-image form in
// PyTorch, and the whole generator (mapping and synthesis, style mixing, noise) with fixed
// weights against the same networks written with it.
#include "fixtures.hpp"
#include "layers.hpp"
#include "mapping.hpp"
#include "synthesis.hpp"

using namespace genhost::engine;
using stylegan_test::require_close;
using stylegan_test::tensor;

TEST_CASE("modulated and demodulated convolution and its gradients match the per-image weights of StyleGAN2",
          "[stylegan][modconv]") {
    for (const auto& c : stylegan_test::cases()["modulated_conv"]) {
        const bool demodulate = c["demodulate"];
        const int64_t k = c["kernel"];
        const std::string what = std::string(demodulate ? "demodulated" : "modulated") + " " + std::to_string(k) + "x" +
                                 std::to_string(k);
        INFO(what);
        Tensor x = tensor(c["x"], {2, 3, 5, 5}), w = tensor(c["weight"], {4, 3, k, k}), s = tensor(c["styles"], {2, 3});
        for (Tensor* t : {&x, &w, &s}) t->set_requires_grad(true);
        Tensor out = stylegan::modulated_conv2d(x, w, s, demodulate);
        require_close(out, c["out"], 1e-4, 1e-5, what + ": output");
        sum(out * tensor(c["cotangent"], {2, 4, 5, 5})).backward();
        require_close(x.grad(), c["grad_x"], 1e-4, 1e-5, what + ": d/dx");
        require_close(w.grad(), c["grad_weight"], 1e-4, 1e-5, what + ": d/dweight");
        require_close(s.grad(), c["grad_styles"], 1e-4, 1e-5, what + ": d/dstyles");
    }
}

TEST_CASE("modulated_conv2d names the shapes when styles do not fit", "[stylegan][modconv]") {
    CHECK_THROWS_WITH(stylegan::modulated_conv2d(Tensor::zeros({2, 3, 5, 5}), Tensor::zeros({4, 3, 3, 3}),
                                                 Tensor::zeros({2, 4}), true),
                      Catch::Contains("[2,4]") && Catch::Contains("styles must be [N, Cin]"));
}

TEST_CASE("mapping and synthesis with mixed styles and given noise match PyTorch", "[stylegan][generator]") {
    const auto& c = stylegan_test::cases()["generator"];
    const int64_t z_dim = c["z_dim"], w_dim = c["w_dim"], n = 2;
    const auto ch = c["channels"].get<std::vector<int64_t>>();
    Parameters params;
    params.set_group("generator");
    Generator init(0);
    stylegan::Mapping mapping(params, "generator.mapping", z_dim, w_dim, c["mapping_layers"], init);
    stylegan::Synthesis synthesis(params, "generator.synthesis", w_dim, {ch[0], ch[1], ch[2]}, 1, init);
    stylegan_test::set_weights(params, c["weights"]);
    REQUIRE(synthesis.num_ws() == 6);

    NoGradGuard no_grad;
    Tensor w1 = mapping(tensor(c["z1"], {n, z_dim})), w2 = mapping(tensor(c["z2"], {n, z_dim}));
    require_close(w1, c["w1"], 1e-4, 1e-5, "w1 = f(z1)");
    require_close(w2, c["w2"], 1e-4, 1e-5, "w2 = f(z2)");
    // Layers 0-1 from w1, 2-5 from w2.
    Tensor a = expand(reshape(w1, {n, 1, w_dim}), {n, 2, w_dim}), b = expand(reshape(w2, {n, 1, w_dim}), {n, 4, w_dim});
    std::vector<Tensor> noise;
    const int64_t sizes[] = {7, 14, 14, 28, 28};
    for (size_t l = 0; l < 5; ++l) noise.push_back(tensor(c["noise"][l], {n, 1, sizes[l], sizes[l]}));
    require_close(synthesis(concat({a, b}, 1), noise), c["images"], 1e-4, 1e-4, "images");
}

TEST_CASE("noise maps: row i depends only on its seed", "[stylegan][generator]") {
    Parameters params;
    Generator init(0);
    stylegan::Synthesis synthesis(params, "s", 4, {4, 3, 2}, 1, init);
    const uint64_t two[] = {5, 9}, one[] = {9};
    auto a = synthesis.draw_noise(2, 0, two), b = synthesis.draw_noise(1, 0, one);
    REQUIRE(a.size() == 5u);
    for (size_t l = 0; l < a.size(); ++l) {
        Tensor row = slice(a[l], 0, 1, 2);
        for (int64_t i = 0; i < row.numel(); ++i) REQUIRE(row.data()[i] == b[l].data()[i]);
    }
    CHECK(a[0].data()[0] != a[1].data()[0]);  // layers draw their own streams
}
