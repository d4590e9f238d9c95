// Higher-order gradients: the WGAN-GP gradient penalty against torch's create_graph=True,
// and finite-difference checks of composite layers and of the penalty's gradient.
#include <cmath>

#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace genhost::engine;
using fixture::expect_close;

namespace {

struct Critic {  // conv(1->3, k3 s2 p1) -> leaky_relu(0.2) -> flatten -> linear(27 -> 1)
    Tensor cw, cb, lw, lb;
    Tensor operator()(const Tensor& x) const {
        return linear(flatten(leaky_relu(conv2d(x, cw, cb, {2, 1}), 0.2f)), lw, lb);
    }
};

// loss = mean(D(x)) + 10 * mean((||dD/dx||_2 - 1)^2), as in Gulrajani et al. 2017.
Tensor wgan_gp_loss(const Critic& D, const Tensor& x, Tensor* gp_out = nullptr) {
    Tensor d = D(x);
    Tensor g = grad({sum(d)}, {x}, {}, /*create_graph=*/true)[0];
    Tensor gp = mean(square(sqrt(sum(pow(flatten(g), 2.0f), {1})) - 1.0f));
    if (gp_out) *gp_out = gp;
    return mean(d) + 10.0f * gp;
}

// Central difference of f at element i of t (t's storage is perturbed in place).
double numeric_grad(const std::function<double()>& f, Tensor& t, int64_t i, float h) {
    float saved = t.data()[i];
    t.data()[i] = saved + h;
    double up = f();
    t.data()[i] = saved - h;
    double down = f();
    t.data()[i] = saved;
    return (up - down) / (2.0 * h);
}

}  // namespace

TEST_CASE("WGAN-GP gradient penalty back-propagates like torch create_graph=True", "[engine][double_backward]") {
    auto f = fixture::load("wgan_gp");
    Critic D{f["cw"], f["cb"], f["lw"], f["lb"]};
    for (Tensor* t : {&D.cw, &D.cb, &D.lw, &D.lb, &f["x"]}) t->set_requires_grad(true);
    Tensor gp;
    Tensor loss = wgan_gp_loss(D, f["x"], &gp);
    expect_close(gp, f["gp"], "gradient penalty");
    expect_close(loss, f["loss"], "loss");
    loss.backward();
    expect_close(D.cw.grad(), f["grad_cw"], "dloss/dconv.weight");
    expect_close(D.cb.grad(), f["grad_cb"], "dloss/dconv.bias");
    expect_close(D.lw.grad(), f["grad_lw"], "dloss/dlinear.weight");
    expect_close(D.lb.grad(), f["grad_lb"], "dloss/dlinear.bias");
    expect_close(f["x"].grad(), f["grad_x"], "dloss/dx");
}

TEST_CASE("the gradient penalty's gradient agrees with finite differences", "[engine][double_backward]") {
    auto f = fixture::load("wgan_gp");
    Critic D{f["cw"], f["cb"], f["lw"], f["lb"]};
    for (Tensor* t : {&D.cw, &D.lw}) t->set_requires_grad(true);
    Tensor x = f["x"].clone().set_requires_grad(true);
    wgan_gp_loss(D, x).backward();
    auto eval = [&] { return static_cast<double>(wgan_gp_loss(D, x).item()); };
    for (Tensor* t : {&D.cw, &D.lw})
        for (int64_t i : {int64_t(0), t->numel() / 2, t->numel() - 1}) {
            double num = numeric_grad(eval, *t, i, 2e-3f);  // small: leaky_relu kinks
            INFO("element " << i << " of " << t->shape_str());
            // float32 central differences: rounding of about 1e-7 / h = 5e-5, plus truncation.
            CHECK(t->grad().data()[i] == Approx(num).epsilon(2e-2).margin(2e-3));
        }
}

TEST_CASE("composite layers agree with finite differences", "[engine][gradcheck]") {
    Generator gen(11);
    Tensor x = gen.normal({2, 4, 5, 5}).set_requires_grad(true);
    Tensor w = gen.normal({4}).set_requires_grad(true);
    Tensor q = gen.normal({2, 3, 4}).set_requires_grad(true);
    Tensor go = gen.normal({2, 4, 5, 5});
    Tensor go_att = gen.normal({2, 3, 4});
    auto layers = std::vector<std::pair<std::string, std::function<Tensor()>>>{
        {"group_norm", [&] { return sum(group_norm(x, 2, w, Tensor()) * go); }},
        {"batch_norm", [&] { return sum(batch_norm2d(x, Tensor(), Tensor(), w, Tensor(), true) * go); }},
        {"attention", [&] { return sum(scaled_dot_product_attention(q, q, q) * go_att); }},
        {"silu_var", [&] { return sum(var(silu(x), {1, 2})); }},
    };
    for (auto& [name, f] : layers) {
        x.zero_grad(); w.zero_grad(); q.zero_grad();
        f().backward();
        Tensor& t = name == "attention" ? q : x;
        auto eval = [&] { return static_cast<double>(f().item()); };
        for (int64_t i : {int64_t(0), int64_t(7), t.numel() - 1}) {
            double num = numeric_grad(eval, t, i, 1e-2f);
            INFO(name << ": element " << i);
            CHECK(t.grad().data()[i] == Approx(num).epsilon(2e-2).margin(3e-3));
        }
    }
}

TEST_CASE("create_graph through an op without double backward says so", "[engine][double_backward]") {
    Tensor x = Tensor::ones({1, 2, 4, 4}).set_requires_grad(true);
    Tensor y = sum(gelu(x));
    CHECK_THROWS_WITH(grad({y}, {x}, {}, true), Catch::Contains("double backward through gelu"));
}

TEST_CASE("the gradient penalty flows through GroupNorm and LayerNorm like torch", "[engine][double_backward]") {
    auto f = fixture::load("wgan_gp_norm");
    for (const char* k : {"x", "cw", "gw", "gb", "lw", "lb", "fw"}) f[k].set_requires_grad(true);
    Tensor h = leaky_relu(group_norm(conv2d(f["x"], f["cw"], Tensor(), {1, 1}), 2, f["gw"], f["gb"]), 0.2f);
    Tensor d = linear(layer_norm(flatten(h), {100}, f["lw"], f["lb"]), f["fw"]);
    Tensor g = grad({sum(d)}, {f["x"]}, {}, true)[0];
    Tensor gp = mean(square(sqrt(sum(pow(flatten(g), 2.0f), {1})) - 1.0f));
    expect_close(gp, f["gp"], "gradient penalty");
    gp.backward();
    for (const char* k : {"x", "cw", "gw", "lw", "fw"})  // biases: no gradient from gp
        expect_close(f[k].grad(), f[std::string("grad_") + k], std::string("dgp/d") + k);
}

TEST_CASE("double backward of smooth ops agrees with finite differences", "[engine][double_backward]") {
    Generator gen(5);
    Tensor x = gen.normal({2, 2, 4, 4}).set_requires_grad(true);
    Tensor w = (gen.normal({1, 2, 1, 1}) * 0.5f + 1.0f).detach().set_requires_grad(true);
    using Fn = std::function<Tensor(const Tensor&)>;
    auto ops = std::vector<std::pair<std::string, Fn>>{
        {"tanh", [](const Tensor& t) { return tanh(t); }},
        {"sigmoid", [](const Tensor& t) { return sigmoid(t); }},
        {"silu", [](const Tensor& t) { return silu(t); }},
        {"elu", [](const Tensor& t) { return elu(t); }},
        {"softplus", [](const Tensor& t) { return softplus(t); }},
        {"exp", [](const Tensor& t) { return exp(t * 0.5f); }},
        {"softmax", [](const Tensor& t) { return softmax(t, 1) * t; }},
        {"log_softmax", [](const Tensor& t) { return square(log_softmax(t, -1)); }},
        {"avg_pool", [](const Tensor& t) { return square(avg_pool2d(t, 2)); }},
        {"upsample", [](const Tensor& t) { return square(upsample_bilinear2d(t, 2)); }},
        {"matmul", [](const Tensor& t) { return square(matmul(t, t)); }},
    };
    for (auto& [name, op] : ops) {
        // P(w) = sum((dL/dx)^2) with L = sum(op(x * w)): needs d/dw of a gradient.
        auto penalty = [&, op = op] {
            Tensor g = grad({sum(op(x * w))}, {x}, {}, true)[0];
            return sum(square(g));
        };
        Tensor p = penalty();
        Tensor dw = grad({p}, {w})[0];
        auto eval = [&] { return static_cast<double>(penalty().item()); };
        for (int64_t i = 0; i < 2; ++i) {
            double num = numeric_grad(eval, w, i, 1e-3f);
            INFO(name << ": dP/dw[" << i << "]");
            CHECK(dw.data()[i] == Approx(num).epsilon(1e-2).margin(1e-3));
        }
    }
}
