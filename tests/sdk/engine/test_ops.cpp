// Differential tests of elementwise ops, activations, matmul, reductions, shape ops and
// losses against PyTorch (fixtures from make_fixtures.py).
#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace genhost::engine;
using fixture::check_case;
using Fx = std::map<std::string, Tensor>;

TEST_CASE("binary ops broadcast like torch, forward and gradients", "[engine][ops]") {
    check_case("add", [](Fx& f) { return f["a"] + f["b"]; }, {"a", "b"});
    check_case("sub", [](Fx& f) { return f["a"] - f["b"]; }, {"a", "b"});
    check_case("mul", [](Fx& f) { return f["a"] * f["b"]; }, {"a", "b"});
    check_case("div", [](Fx& f) { return f["a"] / f["b"]; }, {"a", "b"});
    check_case("mul_scalar", [](Fx& f) { return 3.0f * f["a"] - 2.0f; }, {"a"});
}

TEST_CASE("unary math matches torch", "[engine][ops]") {
    check_case("exp", [](Fx& f) { return exp(f["x"]); }, {"x"});
    check_case("log", [](Fx& f) { return log(f["x"]); }, {"x"});
    check_case("sqrt", [](Fx& f) { return sqrt(f["x"]); }, {"x"});
    check_case("pow", [](Fx& f) { return pow(f["x"], 2.5f); }, {"x"});
    check_case("clamp", [](Fx& f) { return clamp(f["x"], -0.5f, 0.7f); }, {"x"});
    check_case("abs", [](Fx& f) { return abs(f["x"]); }, {"x"});
}

TEST_CASE("activations match torch", "[engine][ops]") {
    check_case("relu", [](Fx& f) { return relu(f["x"]); }, {"x"});
    check_case("leaky_relu", [](Fx& f) { return leaky_relu(f["x"], 0.2f); }, {"x"});
    check_case("elu", [](Fx& f) { return elu(f["x"]); }, {"x"});
    check_case("silu", [](Fx& f) { return silu(f["x"]); }, {"x"});
    check_case("gelu", [](Fx& f) { return gelu(f["x"]); }, {"x"});
    check_case("tanh", [](Fx& f) { return tanh(f["x"]); }, {"x"});
    check_case("sigmoid", [](Fx& f) { return sigmoid(f["x"]); }, {"x"});
    check_case("softplus", [](Fx& f) { return softplus(f["x"]); }, {"x"});
    check_case("softmax", [](Fx& f) { return softmax(f["x"], 1); }, {"x"});
    check_case("log_softmax", [](Fx& f) { return log_softmax(f["x"], -1); }, {"x"});
}

TEST_CASE("matmul and linear match torch", "[engine][ops]") {
    check_case("matmul_2d", [](Fx& f) { return matmul(f["a"], f["b"]); }, {"a", "b"});
    check_case("matmul_fold", [](Fx& f) { return matmul(f["a"], f["b"]); }, {"a", "b"});
    check_case("matmul_batched", [](Fx& f) { return matmul(f["a"], f["b"]); }, {"a", "b"});
    check_case("linear", [](Fx& f) { return linear(f["x"], f["w"], f["b"]); }, {"x", "w", "b"});
    check_case("linear_nobias", [](Fx& f) { return linear(f["x"], f["w"]); }, {"x", "w"});
}

TEST_CASE("reductions match torch", "[engine][ops]") {
    check_case("sum_all", [](Fx& f) { return sum(f["x"]); }, {"x"});
    check_case("sum_dim", [](Fx& f) { return sum(f["x"], {1}); }, {"x"});
    check_case("mean_keep", [](Fx& f) { return mean(f["x"], {0, 2}, true); }, {"x"});
    check_case("var_dim", [](Fx& f) { return var(f["x"], {1}); }, {"x"});
}

TEST_CASE("shape ops match torch", "[engine][ops]") {
    check_case("permute", [](Fx& f) { return permute(f["x"], {2, 0, 1}); }, {"x"});
    check_case("transpose", [](Fx& f) { return transpose(f["x"], 0, 1); }, {"x"});
    check_case("slice_step", [](Fx& f) { return slice(f["x"], 1, 1, 5, 2); }, {"x"});
    check_case("concat", [](Fx& f) { return concat({f["a"], f["b"]}, 1); }, {"a", "b"});
    check_case("reshape", [](Fx& f) { return reshape(f["x"], {6, -1}) * 2.0f; }, {"x"});
}

TEST_CASE("losses match torch", "[engine][loss]") {
    check_case("mse", [](Fx& f) { return mse_loss(f["p"], f["t"]); }, {"p"});
    check_case("l1", [](Fx& f) { return l1_loss(f["p"], f["t"]); }, {"p"});
    check_case("bce_logits", [](Fx& f) { return bce_with_logits(f["z"], f["t"]); }, {"z"});
    check_case("cross_entropy", [](Fx& f) { return cross_entropy(f["z"], fixture::indices(f["target"])); }, {"z"});
    check_case("cross_entropy_pixels", [](Fx& f) { return cross_entropy(f["z"], f["target"]); }, {"z"});
    check_case("gaussian_kl", [](Fx& f) { return gaussian_kl(f["mu"], f["logvar"]); }, {"mu", "logvar"});
}

TEST_CASE("shape errors print both shapes", "[engine][errors]") {
    Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4, 3});
    REQUIRE_THROWS_WITH(a + b, "add: shapes [2,3] and [4,3] do not broadcast");
    REQUIRE_THROWS_WITH(matmul(a, b), Catch::Contains("[2,3]") && Catch::Contains("[4,3]"));
    REQUIRE_THROWS_WITH(reshape(a, {4, 2}), Catch::Contains("[2,3]") && Catch::Contains("[4,2]"));
    REQUIRE_THROWS_WITH(cross_entropy(a, std::vector<int64_t>{0, 3}), Catch::Contains("target[1] = 3"));
}

TEST_CASE("dims out of range and 0-d tensors give errors, not over-reads", "[engine][errors]") {
    Tensor s = Tensor::scalar(2.0f), x = Tensor::zeros({2, 3});
    CHECK_THROWS_WITH(s.size(0), Catch::Contains("out of range for a 0-d tensor"));
    CHECK_THROWS_WITH(slice(s, 0, 0, 1), Catch::Contains("out of range"));
    CHECK_THROWS_WITH(sum(x, {2}), Catch::Contains("dim 2 is out of range for a 2-d tensor"));
    CHECK_THROWS_WITH(permute(x, {0, 0}), Catch::Contains("repeated"));
    CHECK_THROWS_WITH(concat({x, Tensor::zeros({2, 3, 1})}, 0), Catch::Contains("different ranks"));
    CHECK(sum(s).item() == 2.0f);
    CHECK(x.size(-1) == 3);
}

TEST_CASE("absurd shapes are refused before allocating", "[engine][errors]") {
    CHECK_THROWS_WITH(Tensor::empty({1 << 30, 1 << 30, 16}), Catch::Contains("more than 2^40 elements"));
    CHECK_THROWS_WITH(Tensor::empty({2, -3}), Catch::Contains("negative dimension"));
    CHECK_THROWS_WITH(Tensor::from_vector({2, 2}, {1, 2, 3}), Catch::Contains("needs 4 values, got 3"));
}
