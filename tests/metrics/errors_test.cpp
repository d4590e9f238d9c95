// Every metric refuses bad input with a message that says what came and what was
// expected, and warns where a value is computable but not trustworthy.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <genhost/ext/metric.h>

#include "harness.hpp"

using namespace genhost::test;
using Catch::Matchers::Contains;

namespace {

const std::vector<std::string> kFeatureMetrics = {"fid", "kid", "prdc"};

Matrix probabilities_for(int64_t rows, int64_t k) { return {std::vector<float>(rows * k, 1.0f / k), {rows, k}}; }

}  // namespace

TEST_CASE("features must be a matrix N x D") {
    for (const auto& name : kFeatureMetrics) {
        MetricUnderTest m(name);
        std::string error;
        Matrix three_d{std::vector<float>(24, 0.0f), {2, 3, 4}};
        CHECK(m.try_update(GENHOST_METRIC_REAL, three_d, std::nullopt, error) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Contains("expected a 2-D tensor [N, D], got [2,3,4]"));
        Matrix empty{{}, {0, 4}};
        CHECK(m.try_update(GENHOST_METRIC_REAL, empty, std::nullopt, error) == GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Contains("empty batch"));
    }
}

TEST_CASE("D may not change between batches, nor between the sets") {
    for (const auto& name : kFeatureMetrics) {
        MetricUnderTest m(name);
        m.update(GENHOST_METRIC_REAL, normal_matrix(4, 8, 1));
        std::string error;
        CHECK(m.try_update(GENHOST_METRIC_REAL, normal_matrix(4, 6, 1), std::nullopt, error) ==
              GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Contains("D = 6") && Contains("earlier batches had D = 8"));
        CHECK(m.try_update(GENHOST_METRIC_GENERATED, normal_matrix(4, 6, 1), std::nullopt, error) ==
              GENHOST_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(error, Contains("generated set"));
        m.reset();  // a new feature network may follow a reset
        m.update(GENHOST_METRIC_REAL, normal_matrix(4, 6, 1));
    }
}

TEST_CASE("non-finite features are numeric errors that name the element") {
    for (const auto& name : kFeatureMetrics) {
        MetricUnderTest m(name);
        Matrix x = normal_matrix(3, 4, 2);
        x.values[1 * 4 + 2] = std::numeric_limits<float>::quiet_NaN();
        std::string error;
        CHECK(m.try_update(GENHOST_METRIC_GENERATED, x, std::nullopt, error) == GENHOST_ERROR_NUMERIC);
        CHECK_THAT(error, Contains("row 1, column 2 is nan"));
        x.values[1 * 4 + 2] = std::numeric_limits<float>::infinity();
        CHECK(m.try_update(GENHOST_METRIC_REAL, x, std::nullopt, error) == GENHOST_ERROR_NUMERIC);
    }
}

TEST_CASE("an unknown set is refused") {
    MetricUnderTest m("fid");
    std::string error;
    CHECK(m.try_update(7, normal_matrix(3, 4, 2), std::nullopt, error) == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(error, Contains("unknown image set 7"));
}

TEST_CASE("compute says which set is empty or too small") {
    for (const auto& name : kFeatureMetrics) {
        MetricUnderTest m(name);
        std::string error;
        CHECK(m.try_compute(error) == GENHOST_ERROR_STATE);
        CHECK_THAT(error, Contains("real set has N = 0") && Contains("no update_features call"));
        m.update(GENHOST_METRIC_REAL, normal_matrix(50, 4, 3));
        CHECK(m.try_compute(error) == GENHOST_ERROR_STATE);
        CHECK_THAT(error, Contains("generated set has N = 0"));
        m.update(GENHOST_METRIC_GENERATED, normal_matrix(1, 4, 3));
        CHECK(m.try_compute(error) == GENHOST_ERROR_STATE);
        CHECK_THAT(error, Contains("generated set has N = 1"));
    }
    MetricUnderTest fid("fid");
    fid.update(GENHOST_METRIC_REAL, normal_matrix(1, 4, 3));
    fid.update(GENHOST_METRIC_GENERATED, normal_matrix(10, 4, 3));
    std::string error;
    CHECK(fid.try_compute(error) == GENHOST_ERROR_STATE);
    CHECK_THAT(error, Contains("real set has N = 1: a covariance needs at least 2 images"));
}

TEST_CASE("fid warns when a set has no more images than features") {
    MetricUnderTest fid("fid");
    fid.update(GENHOST_METRIC_REAL, normal_matrix(100, 16, 4));
    fid.update(GENHOST_METRIC_GENERATED, normal_matrix(10, 16, 5));
    const double value = fid.compute()[0];
    CHECK(std::isfinite(value));
    REQUIRE(fid.warnings().size() == 1);
    CHECK_THAT(fid.warnings()[0], Contains("generated set has N = 10 images for D = 16") && Contains("rank-deficient"));
}

TEST_CASE("kid shrinks subset_size to the smaller set, with a warning") {
    MetricUnderTest kid("kid", {{"subsets", 5}, {"subset_size", 1000}});
    kid.update(GENHOST_METRIC_REAL, normal_matrix(300, 8, 6));
    kid.update(GENHOST_METRIC_GENERATED, normal_matrix(120, 8, 7));
    const auto values = kid.compute();
    CHECK(std::isfinite(values[0]));
    REQUIRE(kid.warnings().size() == 1);
    CHECK_THAT(kid.warnings()[0], Contains("using subsets of 120"));
}

TEST_CASE("prdc needs more images than k in each set") {
    MetricUnderTest prdc("prdc");
    prdc.update(GENHOST_METRIC_REAL, normal_matrix(5, 4, 8));
    prdc.update(GENHOST_METRIC_GENERATED, normal_matrix(50, 4, 9));
    std::string error;
    CHECK(prdc.try_compute(error) == GENHOST_ERROR_STATE);
    CHECK_THAT(error, Contains("real set has N = 5") && Contains("dc_k = 5"));
}

TEST_CASE("inception_score without probabilities is unsupported, and says why") {
    MetricUnderTest is("inception_score");
    std::string error;
    CHECK(is.try_update(GENHOST_METRIC_GENERATED, normal_matrix(20, 4, 1), std::nullopt, error) ==
          GENHOST_ERROR_UNSUPPORTED);
    CHECK_THAT(error, Contains("needs class probabilities"));
    // The real set is not used, with or without probabilities.
    CHECK(is.try_update(GENHOST_METRIC_REAL, normal_matrix(20, 4, 1), std::nullopt, error) == GENHOST_OK);
}

TEST_CASE("inception_score checks the probabilities against the features") {
    MetricUnderTest is("inception_score");
    std::string error;
    CHECK(is.try_update(GENHOST_METRIC_GENERATED, normal_matrix(20, 4, 1), probabilities_for(19, 10), error) ==
          GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(error, Contains("N = 20") && Contains("got [19,10]"));

    is.update(GENHOST_METRIC_GENERATED, normal_matrix(20, 4, 1), probabilities_for(20, 10));
    CHECK(is.try_update(GENHOST_METRIC_GENERATED, normal_matrix(20, 4, 1), probabilities_for(20, 8), error) ==
          GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(error, Contains("K = 8, but earlier batches had K = 10"));

    Matrix logits = normal_matrix(20, 10, 2);
    for (float& v : logits.values) v = std::fabs(v);
    CHECK(is.try_update(GENHOST_METRIC_GENERATED, normal_matrix(20, 4, 1), logits, error) ==
          GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(error, Contains("not 1 (expected softmax outputs, not logits)"));

    Matrix negative = probabilities_for(20, 10);
    negative.values[3] = -0.1f;
    CHECK(is.try_update(GENHOST_METRIC_GENERATED, normal_matrix(20, 4, 1), negative, error) == GENHOST_ERROR_NUMERIC);
}

TEST_CASE("inception_score needs an image per split") {
    MetricUnderTest is("inception_score", {{"splits", 10}});
    is.update(GENHOST_METRIC_GENERATED, normal_matrix(7, 4, 1), probabilities_for(7, 10));
    std::string error;
    CHECK(is.try_compute(error) == GENHOST_ERROR_STATE);
    CHECK_THAT(error, Contains("generated set has N = 7") && Contains("splits = 10"));
}
