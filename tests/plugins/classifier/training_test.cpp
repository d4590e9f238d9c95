// A few seconds of training on the `shapes` data classify held-out shapes far above chance
// (1/5), and a fixed seed gives the same run twice.
#include <catch2/catch.hpp>

#include <algorithm>

#include "classifier_harness.hpp"

namespace {

double accuracy(classifier_test::Classifier& net, const std::vector<float>& images,
                const std::vector<int64_t>& labels) {
    std::vector<float> p;
    net.embed(images, &p);
    const size_t k = 5;
    size_t right = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        const auto row = p.begin() + static_cast<std::ptrdiff_t>(i * k);
        right += static_cast<int64_t>(std::max_element(row, row + k) - row) == labels[i];
    }
    return static_cast<double>(right) / static_cast<double>(labels.size());
}

}  // namespace

TEST_CASE("a few training steps on shapes classify held-out shapes far above chance", "[classifier]") {
    std::vector<float> train, test;
    std::vector<int64_t> train_labels, test_labels;
    classifier_test::shapes(640, 16, 1, train, train_labels);
    classifier_test::shapes(200, 16, 2, test, test_labels);
    classifier_test::Classifier net({{"conv_channels", {8, 16}}, {"feature_dim", 32}}, {1, 16, 16, 5, 0.0f, 1.0f});
    const double before = accuracy(net, test, test_labels);
    const size_t batch = 32, image = 16 * 16;
    std::vector<float> first, last;
    uint64_t step = 0;
    for (int epoch = 0; epoch < 8; ++epoch)
        for (size_t start = 0; start < train_labels.size(); start += batch, ++step) {
            auto losses = net.train_step({train.begin() + start * image, train.begin() + (start + batch) * image},
                                         {train_labels.begin() + start, train_labels.begin() + start + batch}, step,
                                         3e-3f);
            (step == 0 ? first : last) = losses;
        }
    const double after = accuracy(net, test, test_labels);
    INFO("test accuracy before " << before << ", after " << after << "; batch loss " << first[0] << " -> "
                                 << last[0]);
    CHECK(last[0] < first[0]);
    CHECK(after >= 0.6);
}

TEST_CASE("training is deterministic for a fixed seed, with dropout", "[classifier]") {
    std::vector<float> images;
    std::vector<int64_t> labels;
    classifier_test::shapes(16, 16, 1, images, labels);
    auto run = [&](uint64_t seed) {
        classifier_test::Classifier net({{"conv_channels", {4}}, {"feature_dim", 8}, {"dropout", 0.3}},
                                        {1, 16, 16, 5, 0.0f, 1.0f}, seed);
        std::vector<float> trace;
        for (uint64_t step = 0; step < 3; ++step) {
            auto l = net.train_step(images, labels, step);
            trace.insert(trace.end(), l.begin(), l.end());
        }
        auto f = net.embed(images);
        trace.insert(trace.end(), f.begin(), f.end());
        return trace;
    };
    const auto a = run(1);
    CHECK(a == run(1));
    CHECK(a != run(2));
}
