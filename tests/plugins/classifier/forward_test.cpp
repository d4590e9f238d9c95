// The forward pass and the cross-entropy gradient of tiny fixed networks against PyTorch
// (fixtures/forward.json, written by make_fixtures.py): features, softmax, loss, accuracy
// and the gradient of every parameter.
#include <catch2/catch.hpp>

#include <fstream>

#include "classifier_harness.hpp"
#include "support/fixture_cases.hpp"

namespace {

nlohmann::json cases() { return genhost::testing::fixture_cases("plugins/classifier/fixtures/forward.json"); }

classifier_test::Data data_of(const nlohmann::json& c) {
    const auto& d = c["data"];
    return {d["channels"], d["height"], d["width"], d["num_classes"], d["range"][0], d["range"][1]};
}

void check_close(const std::vector<float>& got, const std::vector<float>& expected) {
    REQUIRE(got.size() == expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
        INFO("element " << i);
        CHECK(got[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-5));
    }
}

}  // namespace

TEST_CASE("embed gives PyTorch's features and softmax for tiny networks", "[classifier]") {
    for (const auto& c : cases()) {
        INFO(c["name"].get<std::string>());
        classifier_test::Classifier net(c["params"], data_of(c));
        net.set_weights(c["weights"]);
        std::vector<float> probabilities;
        const auto features = net.embed(c["images"].get<std::vector<float>>(), &probabilities);
        check_close(features, c["features"].get<std::vector<float>>());
        check_close(probabilities, c["probabilities"].get<std::vector<float>>());
    }
}

TEST_CASE("the training loss, accuracy and gradients of tiny networks match PyTorch's cross entropy",
          "[classifier]") {
    for (const auto& c : cases()) {
        INFO(c["name"].get<std::string>());
        classifier_test::Classifier net(c["params"], data_of(c));
        net.set_weights(c["weights"]);
        const auto losses = net.train_step(c["images"].get<std::vector<float>>(),
                                           c["labels"].get<std::vector<int64_t>>(), 0, 0.0f);
        CHECK(losses[0] == Approx(c["loss"].get<double>()).epsilon(1e-5));
        CHECK(losses[1] == Approx(c["accuracy"].get<double>()));
        const auto& grads = c["grads"];
        const auto params = net.parameters();
        REQUIRE(params.size() == grads.size());
        for (const auto& [name, p] : params) {
            INFO(name);
            REQUIRE(grads.contains(name));
            check_close(p.grads, grads[name].get<std::vector<float>>());
        }
    }
}
