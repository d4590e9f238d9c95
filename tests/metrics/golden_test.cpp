// Every metric against golden/metrics.json (make_golden.py: the reference implementations'
// formulas in numpy and scipy), to 1e-6 relative, with the sets streamed in uneven batches.
#include <catch2/catch.hpp>

#include <genhost/ext/metric.h>

#include "harness.hpp"

using namespace genhost::test;

namespace {

const nlohmann::json& data() {
    static const nlohmann::json g = golden();
    return g;
}
const Matrix& real() {
    static const Matrix m = matrix(data()["real"]);
    return m;
}
const Matrix& generated() {
    static const Matrix m = matrix(data()["generated"]);
    return m;
}

void feed(MetricUnderTest& metric, const Matrix& r, const Matrix& g, int64_t batch) {
    metric.update_in_batches(GENHOST_METRIC_REAL, r, batch);
    metric.update_in_batches(GENHOST_METRIC_GENERATED, g, batch);
}

}  // namespace

TEST_CASE("fid matches pytorch-fid's formula (scipy sqrtm) whatever the batching") {
    const double expected = data()["fid"];
    for (int64_t batch : {1000, 37, 1}) {
        MetricUnderTest fid("fid");
        feed(fid, real(), generated(), batch);
        const double value = fid.compute().at(0);
        INFO("batch " << batch << ": fid " << value << ", expected " << expected);
        CHECK(close(value, expected));
    }
}

TEST_CASE("kid with one subset of every image matches torch-fidelity's mmd2") {
    const auto& g = data()["kid"];
    const int64_t rows = g["real_rows"];
    MetricUnderTest kid("kid", {{"subsets", 1}, {"subset_size", rows}});
    feed(kid, real().slice(0, rows), generated(), 50);
    const auto values = kid.compute();
    INFO("kid " << values[0] << ", expected " << g["value"].get<double>());
    CHECK(close(values[0], g["value"]));
    CHECK(values[1] == 0.0);  // the std of one subset
    CHECK(kid.warnings().empty());
}

TEST_CASE("inception_score matches the original formula for 10, 3 and 1 splits") {
    const Matrix p = matrix(data()["probabilities"]);
    const Matrix features = genhost::test::normal_matrix(p.rows(), 4, 1);
    for (const auto& c : data()["inception_score"]) {
        MetricUnderTest is("inception_score", {{"splits", c["splits"]}, {"shuffle", false}});
        is.update_in_batches(GENHOST_METRIC_GENERATED, features, 33, p);
        const auto values = is.compute();
        INFO("splits " << c["splits"] << ": " << values[0] << " +- " << values[1] << ", expected " << c["values"]);
        CHECK(close(values[0], c["values"][0]));
        CHECK(close(values[1], c["values"][1], 1e-6));
    }
}

TEST_CASE("inception_score with one split does not depend on the shuffle") {
    const Matrix p = matrix(data()["probabilities"]);
    const Matrix features = genhost::test::normal_matrix(p.rows(), 4, 1);
    MetricUnderTest is("inception_score", {{"splits", 1}, {"shuffle", true}, {"seed", 5}});
    is.update(GENHOST_METRIC_GENERATED, features, p);
    CHECK(close(is.compute()[0], data()["inception_score"][2]["values"][0]));
}

TEST_CASE("prdc matches NVlabs' precision and recall and clovaai's density and coverage") {
    for (const auto& c : data()["prdc"]) {
        MetricUnderTest prdc("prdc", {{"pr_k", c["pr_k"]}, {"dc_k", c["dc_k"]}});
        CHECK(prdc.value_names() == std::vector<std::string>{"precision", "recall", "density", "coverage"});
        feed(prdc, real(), generated(), 64);
        const auto values = prdc.compute();
        for (size_t i = 0; i < 4; ++i) {
            INFO("pr_k " << c["pr_k"] << ", dc_k " << c["dc_k"] << ": value " << i << " is " << values[i]
                         << ", expected " << c["values"][i]);
            CHECK(close(values[i], c["values"][i]));
        }
    }
}
