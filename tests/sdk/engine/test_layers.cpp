// Differential tests of convolutions, pooling, upsampling, normalisation, embedding,
// attention and spectral normalisation against PyTorch (fixtures from make_fixtures.py).
#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace genhost::engine;
using fixture::check_case;
using fixture::expect_close;
using Fx = std::map<std::string, Tensor>;

TEST_CASE("conv2d matches torch with stride, padding, dilation and groups", "[engine][conv]") {
    check_case("conv2d_s2p1", [](Fx& f) { return conv2d(f["x"], f["w"], f["b"], {2, 1}); }, {"x", "w", "b"});
    check_case("conv2d_dil_groups", [](Fx& f) { return conv2d(f["x"], f["w"], Tensor(), {1, 2, 2, 2}); }, {"x", "w"});
    check_case("conv2d_1x1", [](Fx& f) { return conv2d(f["x"], f["w"], f["b"]); }, {"x", "w", "b"});
}

TEST_CASE("stride-1 conv2d (the direct kernels) matches torch", "[engine][conv]") {
    check_case("conv2d_unet_3x3", [](Fx& f) { return conv2d(f["x"], f["w"], f["b"], {1, 1}); }, {"x", "w", "b"});
    check_case("conv2d_3x2", [](Fx& f) { return conv2d(f["x"], f["w"], Tensor(), {1, 1}); }, {"x", "w"});
    check_case("conv2d_wide_pad", [](Fx& f) { return conv2d(f["x"], f["w"], Tensor(), {1, 3}); }, {"x", "w"});
    check_case("conv_transpose2d_s1", [](Fx& f) {
        ConvTranspose2dOptions o;
        o.padding = 1;
        return conv_transpose2d(f["x"], f["w"], f["b"], o);
    }, {"x", "w", "b"});
}

TEST_CASE("conv_transpose2d matches torch with output_padding and groups", "[engine][conv]") {
    check_case("conv_transpose2d", [](Fx& f) {
        ConvTranspose2dOptions o;
        o.stride = 2; o.padding = 1; o.output_padding = 1;
        return conv_transpose2d(f["x"], f["w"], f["b"], o);
    }, {"x", "w", "b"});
    check_case("conv_transpose2d_groups", [](Fx& f) {
        ConvTranspose2dOptions o;
        o.stride = 2; o.groups = 2;
        return conv_transpose2d(f["x"], f["w"], Tensor(), o);
    }, {"x", "w"});
}

TEST_CASE("masked conv2d (PixelCNN masks A and B) matches torch", "[engine][conv]") {
    check_case("masked_conv_A", [](Fx& f) { return masked_conv2d(f["x"], f["w"], f["b"], ConvMask::A, {1, 2}); }, {"x", "w", "b"});
    check_case("masked_conv_B", [](Fx& f) { return masked_conv2d(f["x"], f["w"], f["b"], ConvMask::B, {1, 1}); }, {"x", "w", "b"});
    // Mask A hides the centre pixel; mask B shows it.
    CHECK(conv_mask(ConvMask::A, 1, 1, 3, 3).to_vector() == std::vector<float>{1, 1, 1, 1, 0, 0, 0, 0, 0});
    CHECK(conv_mask(ConvMask::B, 1, 1, 3, 3).to_vector() == std::vector<float>{1, 1, 1, 1, 1, 0, 0, 0, 0});
}

TEST_CASE("pooling and upsampling match torch", "[engine][pool]") {
    check_case("avg_pool", [](Fx& f) { return avg_pool2d(f["x"], 3, 2, 1); }, {"x"});
    check_case("max_pool", [](Fx& f) { return max_pool2d(f["x"], 2); }, {"x"});
    check_case("max_pool_pad", [](Fx& f) { return max_pool2d(f["x"], 3, 2, 1); }, {"x"});
    check_case("upsample_nearest", [](Fx& f) { return upsample_nearest2d(f["x"], 2); }, {"x"});
    check_case("upsample_bilinear", [](Fx& f) { return upsample_bilinear2d(f["x"], 2); }, {"x"});
}

TEST_CASE("batch_norm2d matches torch in training (running stats) and eval", "[engine][norm]") {
    Tensor rm, rv;
    check_case("batch_norm_train", [&](Fx& f) {
        rm = f["running_mean"].clone();
        rv = f["running_var"].clone();
        Tensor out = batch_norm2d(f["x"], rm, rv, f["w"], f["b"], true);
        expect_close(rm, f["running_mean_after"], "running_mean");
        expect_close(rv, f["running_var_after"], "running_var");
        return out;
    }, {"x", "w", "b"});
    check_case("batch_norm_eval", [](Fx& f) {
        return batch_norm2d(f["x"], f["running_mean"], f["running_var"], f["w"], f["b"], false);
    }, {"x", "w", "b"});
}

TEST_CASE("group_norm and layer_norm match torch", "[engine][norm]") {
    check_case("group_norm", [](Fx& f) { return group_norm(f["x"], 3, f["w"], f["b"]); }, {"x", "w", "b"});
    check_case("layer_norm", [](Fx& f) { return layer_norm(f["x"], {8}, f["w"], f["b"]); }, {"x", "w", "b"});
}

TEST_CASE("embedding, attention and spectral_norm match torch", "[engine][layers]") {
    check_case("embedding", [](Fx& f) { return embedding(f["t"], fixture::indices(f["indices"]), {2, 3}); }, {"t"});
    check_case("attention", [](Fx& f) { return scaled_dot_product_attention(f["q"], f["k"], f["v"]); }, {"q", "k", "v"});
    check_case("spectral_norm", [](Fx& f) {
        Tensor u = f["u"].clone();
        Tensor out = spectral_norm(f["w"], u, 1, true);
        expect_close(u, f["u_after"], "u after one power iteration");
        return out;
    }, {"w"});
}

TEST_CASE("dropout keeps the expectation and is reproducible", "[engine][layers]") {
    Generator g1(9), g2(9);
    Tensor x = Tensor::ones({20000});
    Tensor a = dropout(x, 0.25f, true, g1), b = dropout(x, 0.25f, true, g2);
    CHECK(a.to_vector() == b.to_vector());
    CHECK(mean(a).item() == Approx(1.0f).margin(0.03));
    Generator g3(9);
    CHECK(dropout(x, 0.25f, false, g3).data() == x.data());  // identity in eval
}

TEST_CASE("layer errors name the shapes and the fix", "[engine][errors]") {
    Tensor x = Tensor::zeros({1, 3, 8, 8});
    CHECK_THROWS_WITH(conv2d(x, Tensor::zeros({4, 2, 3, 3})), Catch::Contains("[1,3,8,8]") && Catch::Contains("[4,2,3,3]"));
    CHECK_THROWS_WITH(conv2d(x, Tensor::zeros({4, 3, 11, 11})), Catch::Contains("kernel is larger"));
    ConvTranspose2dOptions too_much;
    too_much.dilation = 2; too_much.output_padding = 1;  // torch allows it (< dilation); refused with the rule
    CHECK_THROWS_WITH(conv_transpose2d(Tensor::zeros({1, 2, 4, 4}), Tensor::zeros({2, 3, 3, 3}), Tensor(), too_much),
                      Catch::Contains("output_padding 1 must be in [0, stride = 1)"));
    CHECK_THROWS_WITH(group_norm(x, 2, Tensor(), Tensor()), Catch::Contains("divisible by groups=2"));
}
