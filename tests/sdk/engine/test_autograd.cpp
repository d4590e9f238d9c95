// Autograd core, parameters registry, random numbers, and the end-to-end overfit test.
#include <cmath>

#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace genhost::engine;

TEST_CASE("gradients accumulate into leaves and keep their address", "[engine][autograd]") {
    Parameters params;
    Tensor w = params.add_parameter("w", Tensor::from_vector({3}, {1, 2, 3}));
    const float* grad_address = w.grad().data();
    for (int step = 0; step < 2; ++step) sum(w * w).backward();  // d/dw = 2w, twice
    REQUIRE(w.grad().data() == grad_address);
    CHECK(w.grad().to_vector() == std::vector<float>{4, 8, 12});
    params.zero_grad();
    CHECK(w.grad().data() == grad_address);
    CHECK(w.grad().to_vector() == std::vector<float>{0, 0, 0});
}

TEST_CASE("a tensor used twice gets the sum of both gradients", "[engine][autograd]") {
    Tensor x = Tensor::from_vector({2}, {3, -1}).set_requires_grad(true);
    Tensor y = sum(x * x + 3.0f * x);  // dy/dx = 2x + 3
    y.backward();
    CHECK(x.grad().to_vector() == std::vector<float>{9, 1});
}

TEST_CASE("NoGradGuard records nothing", "[engine][autograd]") {
    Tensor x = Tensor::ones({2}).set_requires_grad(true);
    NoGradGuard guard;
    Tensor y = sum(x * 2.0f);
    CHECK_FALSE(y.requires_grad());
    CHECK_THROWS_WITH(y.backward(), Catch::Contains("does not require grad"));
}

TEST_CASE("the graph is freed after backward and a second backward says so", "[engine][autograd]") {
    Tensor x = Tensor::ones({2}).set_requires_grad(true);
    Tensor y = sum(exp(x));
    y.backward();
    CHECK_THROWS_WITH(y.backward(), Catch::Contains("retain_graph"));
}

TEST_CASE("grad() returns gradients without touching .grad", "[engine][autograd]") {
    Tensor x = Tensor::from_vector({2}, {1, 2}).set_requires_grad(true);
    auto g = grad({sum(pow(x, 3.0f))}, {x});
    CHECK(g[0].to_vector() == std::vector<float>{3, 12});
    CHECK_FALSE(x.grad().defined());
}

TEST_CASE("parameters expose value and grad as DLPack tensors without copying", "[engine][parameters]") {
    Parameters params;
    params.set_group("generator");
    Tensor w = params.add_parameter("g.w", Tensor::zeros({2, 3}));
    params.add_buffer("bn.running_mean", Tensor::zeros({3}));
    DLTensor v{}, g{};
    to_dltensor(w, &v);
    grad_to_dltensor(w, &g);
    CHECK(v.data == w.data());
    CHECK(g.data == w.grad().data());
    CHECK(v.ndim == 2);
    CHECK(v.shape[0] == 2);
    CHECK(v.shape[1] == 3);
    CHECK(v.dtype.code == kDLFloat);
    CHECK(v.dtype.bits == 32);
    CHECK(v.strides == nullptr);
    CHECK(params.parameters("generator").size() == 1);
    CHECK(params.parameters("discriminator").empty());
    CHECK(params.count() == 6);
    CHECK(params.find("bn.running_mean")->is_buffer);
    CHECK_THROWS_WITH(params.add_parameter("g.w", Tensor::zeros({1})), Catch::Contains("registered twice"));
}

TEST_CASE("random numbers are reproducible and independent of thread count", "[engine][random]") {
    set_num_threads(1);
    Generator a(7);
    Tensor n1 = a.normal({100001});
    Tensor u1 = a.uniform({1000});
    set_num_threads(2);
    Generator b(7);
    Tensor n2 = b.normal({100001});
    Tensor u2 = b.uniform({1000});
    CHECK(n1.to_vector() == n2.to_vector());
    CHECK(u1.to_vector() == u2.to_vector());
    // The moments of 100k normals: mean ~ 0 (+-0.01), var ~ 1 (+-0.02).
    CHECK(std::fabs(mean(n1).item()) < 0.01f);
    CHECK(std::fabs(var(n1).item() - 1.0f) < 0.02f);
    Tensor bern = Generator(3).bernoulli({10000}, 0.3f);
    CHECK(std::fabs(mean(bern).item() - 0.3f) < 0.02f);
    auto cats = Generator(5).categorical(Tensor::from_vector({2, 3}, {0, 1, 0, 0, 0, 2}));
    CHECK(cats == std::vector<int64_t>{1, 2});
}

TEST_CASE("normal_rows draws row i from seeds[i] alone, or every row from one seed", "[engine][random]") {
    const uint64_t seeds[3] = {11, 12, 13};
    const Tensor z = normal_rows(3, 5, 0, seeds);
    for (int64_t i = 0; i < 3; ++i) {
        const auto row = Generator(seeds[i]).normal({1, 5}).to_vector();
        CHECK(std::vector<float>(z.data() + i * 5, z.data() + i * 5 + 5) == row);
    }
    CHECK(normal_rows(3, 5, 9).to_vector() == Generator(9).normal({3, 5}).to_vector());
}

TEST_CASE("a tiny MLP overfits one batch: loss falls 100x", "[engine][e2e]") {
    Generator gen(1);
    Parameters params;
    Linear fc1(params, "fc1", 16, 64, gen);
    Linear fc2(params, "fc2", 64, 4, gen);
    Tensor x = gen.normal({32, 16});
    std::vector<int64_t> y(32);
    for (int i = 0; i < 32; ++i) y[i] = i % 4;
    float first = 0, last = 0;
    for (int step = 0; step < 300; ++step) {
        Tensor loss = cross_entropy(fc2(relu(fc1(x))), y);
        if (step == 0) first = loss.item();
        last = loss.item();
        params.zero_grad();
        loss.backward();
        NoGradGuard ng;  // SGD with momentum-free steps, in place
        for (Tensor p : params.parameters()) {
            float* w = p.data();
            const float* g = p.grad().data();
            for (int64_t i = 0; i < p.numel(); ++i) w[i] -= 0.5f * g[i];
        }
    }
    INFO("loss " << first << " -> " << last);
    CHECK(last * 100.0f < first);
}

TEST_CASE("initialisers follow torch.nn.init's formulas", "[engine][init]") {
    Generator gen(3);
    Tensor w = Tensor::empty({256, 128, 3, 3});  // fan_in 1152, fan_out 2304
    init_kaiming_normal(w, gen);
    CHECK(std::sqrt(var(w).item()) == Approx(std::sqrt(2.0f / 1152.0f)).epsilon(0.02));
    init_xavier_uniform(w, gen);
    float bound = std::sqrt(6.0f / (1152.0f + 2304.0f));
    CHECK(std::sqrt(var(w).item()) == Approx(bound / std::sqrt(3.0f)).epsilon(0.02));
    init_normal(w, gen, 0.0f, 0.02f);
    CHECK(std::sqrt(var(w).item()) == Approx(0.02f).epsilon(0.02));
    init_zeros(w);
    CHECK(sum(abs(w)).item() == 0.0f);
}

TEST_CASE("a tiny conv net trains: loss falls 10x in 60 steps", "[engine][e2e]") {
    Generator gen(2);
    Parameters params;
    Conv2d conv(params, "conv", 1, 8, 3, {2, 1}, gen);   // 8x8 -> 4x4
    GroupNorm norm(params, "norm", 2, 8);
    Linear fc(params, "fc", 8 * 4 * 4, 3, gen);
    Tensor x = gen.normal({12, 1, 8, 8});
    std::vector<int64_t> y(12);
    for (int i = 0; i < 12; ++i) y[i] = i % 3;
    float first = 0, last = 0;
    for (int step = 0; step < 60; ++step) {
        Tensor loss = cross_entropy(fc(flatten(silu(norm(conv(x))))), y);
        if (step == 0) first = loss.item();
        last = loss.item();
        params.zero_grad();
        loss.backward();
        for (Tensor p : params.parameters()) {
            float* w = p.data();
            const float* g = p.grad().data();
            for (int64_t i = 0; i < p.numel(); ++i) w[i] -= 0.2f * g[i];
        }
    }
    INFO("loss " << first << " -> " << last);
    CHECK(last * 10.0f < first);
}
