// The plugin's discriminators with fixed weights against the same networks in PyTorch:
// scores, the gradient penalty, and the gradients of  E[D(G(z))] - E[D(x)] + 10 GP  in
// every weight, which differentiate through a gradient (double backward through conv,
// linear, leaky_relu, layer norm, spectral norm and the projection).
#include "fixtures.hpp"
#include "networks.hpp"
#include "penalty.hpp"

using namespace genhost::engine;
using gan_test::fixtures;
using gan_test::require_close;

namespace {

gan::NetworkShape shape_of(const nlohmann::json& c) {
    const auto& p = c["params"];
    const auto& d = c["data"];
    gan::NetworkShape s;
    s.architecture = p["architecture"];
    s.channels = d["channels"], s.height = d["height"], s.width = d["width"];
    s.classes = p.value("conditional", false) ? d["num_classes"].get<int64_t>() : 0;
    s.conditioning = p.value("conditioning", "concat");
    s.ndf = p.value("ndf", 64);
    s.discriminator_norm = p.value("discriminator_norm", "batch");
    s.discriminator_hidden = p.value("discriminator_hidden", std::vector<int64_t>{512, 256});
    s.spectral_norm = p.value("spectral_norm", false);
    return s;
}

// Every registered tensor from the fixture, by name and shape, and no other.
void set_weights(const Parameters& params, const nlohmann::json& weights) {
    REQUIRE(params.entries().size() == weights.size());
    for (const NamedTensor& e : params.entries()) {
        INFO(e.name);
        REQUIRE(weights.contains(e.name));
        const auto& w = weights[e.name];
        REQUIRE(e.tensor.shape() == w["shape"].get<Shape>());
        const auto v = w["values"].get<std::vector<float>>();
        Tensor t = e.tensor;  // a handle on the registered storage
        std::copy(v.begin(), v.end(), t.data());
    }
}

}  // namespace

TEST_CASE("critic scores, gradient penalty and its double backward in every weight match PyTorch", "[gan][penalty]") {
    for (const auto& c : fixtures()["critics"]) {
        const std::string name = c["name"];
        INFO(name);
        const gan::NetworkShape s = shape_of(c);
        Parameters params;
        params.set_group("critic");
        Generator init(1);
        auto d = gan::make_discriminator(params, "critic", s, init);
        set_weights(params, c["weights"]);

        const int64_t n = static_cast<int64_t>(c["eps"].size());
        const Shape image = {n, s.channels, s.height, s.width};
        Tensor real = gan_test::tensor(c["real"], image), fake = gan_test::tensor(c["fake"], image);
        Tensor y;
        if (s.classes > 0) {
            y = Tensor::zeros({n, s.classes});
            for (int64_t i = 0; i < n; ++i) y.data()[i * s.classes + c["labels"][i].get<int64_t>()] = 1.0f;
        }
        d->begin(/*update_sn=*/true);
        Tensor s_real = (*d)(real, y), s_fake = (*d)(fake, y);
        require_close(s_real, c["scores_real"], 1e-4, 1e-5, name + ": D(x)");
        require_close(s_fake, c["scores_fake"], 1e-4, 1e-5, name + ": D(G(z))");

        Tensor gp = gan::gradient_penalty([&](const Tensor& x) { return (*d)(x, y); }, real, fake,
                                          gan_test::tensor(c["eps"], {n}));
        CHECK(gp.item() == Approx(c["gp"].get<double>()).epsilon(1e-4).margin(1e-6));
        Tensor loss = mean(s_fake) - mean(s_real) + 10.0f * gp;
        CHECK(loss.item() == Approx(c["loss"].get<double>()).epsilon(1e-4).margin(1e-5));
        params.zero_grad();
        loss.backward();
        for (const auto& [pname, want] : c["grads"].items()) {
            const NamedTensor* e = params.find(pname);
            REQUIRE(e != nullptr);
            require_close(e->tensor.grad(), want, 2e-3, 2e-5, name + ": dL/d " + pname);
        }
        for (const auto& [bname, want] : c["buffers_after"].items())
            require_close(params.find(bname)->tensor, want, 1e-5, 1e-6, name + ": " + bname + " after one iteration");
    }
}
