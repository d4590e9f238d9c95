// The embedder capability: shapes, probabilities, determinism whatever the batch, and the
// refusal of data it cannot learn from.
#include <catch2/catch.hpp>

#include <numeric>

#include "classifier_harness.hpp"
#include "util/error.hpp"

namespace {

const classifier_test::Data kShapes{1, 16, 16, 5, 0.0f, 1.0f};

}  // namespace

TEST_CASE("embed gives [N, feature_dim] features, non-negative, and probabilities that sum to 1",
          "[classifier]") {
    classifier_test::Classifier net({{"conv_channels", {8, 16}}, {"feature_dim", 24}}, kShapes, 4);
    REQUIRE(net.instance().embedder() != nullptr);
    CHECK(net.instance().feature_dim() == 24);
    CHECK(net.instance().embedding_classes() == 5);
    std::vector<float> images;
    std::vector<int64_t> labels;
    classifier_test::shapes(7, 16, 1, images, labels);
    std::vector<float> probabilities;
    const auto features = net.embed(images, &probabilities);
    REQUIRE(features.size() == 7u * 24u);
    REQUIRE(probabilities.size() == 7u * 5u);
    for (float f : features) CHECK(f >= 0.0f);  // after ReLU, as Inception's pool3
    for (size_t i = 0; i < 7; ++i) {
        const double total = std::accumulate(probabilities.begin() + 5 * i, probabilities.begin() + 5 * (i + 1), 0.0);
        CHECK(total == Approx(1.0).epsilon(1e-6));
    }
    CHECK(net.embed(images) == features);  // without probabilities: the same features
}

TEST_CASE("an image's features do not depend on the batch it is embedded in", "[classifier]") {
    // Two threads, so the engine splits its work, and a width that is no multiple of a
    // BLAS kernel's tile; the features must still be equal bit for bit.
    classifier_test::Classifier net({{"conv_channels", {8, 12}}, {"feature_dim", 37}}, kShapes, 9, 2);
    std::vector<float> images, probs5, probs2, probs3;
    std::vector<int64_t> labels;
    classifier_test::shapes(5, 16, 2, images, labels);
    for (uint64_t step = 0; step < 3; ++step) net.train_step(images, labels, step);  // not the initial weights only
    const auto five = net.embed(images, &probs5);
    const size_t split = 2 * 16 * 16;
    auto apart = net.embed({images.begin(), images.begin() + split}, &probs2);
    const auto three = net.embed({images.begin() + split, images.end()}, &probs3);
    apart.insert(apart.end(), three.begin(), three.end());
    probs2.insert(probs2.end(), probs3.begin(), probs3.end());
    CHECK(five == apart);
    CHECK(probs5 == probs2);

    // Image by image, and in a batch larger than the plugin's evaluation slice.
    std::vector<float> many;
    std::vector<int64_t> many_labels;
    classifier_test::shapes(300, 16, 3, many, many_labels);
    const auto together = net.embed(many);
    const size_t image = 16 * 16, d = 37;
    for (size_t i : {size_t(0), size_t(131), size_t(255), size_t(256), size_t(299)}) {
        INFO("image " << i);
        const auto one = net.embed({many.begin() + i * image, many.begin() + (i + 1) * image});
        CHECK(std::equal(one.begin(), one.end(), together.begin() + i * d));
    }
}

TEST_CASE("the classifier refuses unlabelled data, and data too small for its stages", "[classifier]") {
    try {
        classifier_test::Classifier net(nlohmann::json::object(), {1, 28, 28, 0, 0.0f, 1.0f});
        FAIL("created on unlabelled data");
    } catch (const genhost::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("the classifier needs labelled data (data.num_classes = 0)"));
    }
    try {
        classifier_test::Classifier net({{"conv_channels", {8, 8, 8}}}, {1, 4, 4, 3, 0.0f, 1.0f});
        FAIL("created with three stages on 4x4 images");
    } catch (const genhost::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("use fewer conv_channels"));
    }
}

TEST_CASE("a training batch without labels or with a label outside the classes is an error", "[classifier]") {
    classifier_test::Classifier net({{"conv_channels", {4}}}, kShapes);
    std::vector<float> images;
    std::vector<int64_t> labels;
    classifier_test::shapes(3, 16, 1, images, labels);
    CHECK_THROWS_WITH(net.train_step(images, {}, 0), Catch::Contains("labelled"));
    CHECK_THROWS_WITH(net.train_step(images, {0, 5, 1}, 0), Catch::Contains("labels[1] is 5"));
}
