// What the metrics must do whatever the implementation: 0 for identical sets, growth
// with the distortion, and precision/recall telling mode collapse from noise.
#include <catch2/catch.hpp>

#include <cmath>

#include <genhost/ext/metric.h>

#include "harness.hpp"

using namespace genhost::test;

namespace {

Matrix plus_noise(Matrix m, double sigma, uint64_t seed) {
    const Matrix noise = normal_matrix(m.rows(), m.cols(), seed, 0.0, sigma);
    for (size_t i = 0; i < m.values.size(); ++i) m.values[i] += noise.values[i];
    return m;
}

// Real features in `clusters` well-separated Gaussian clusters of 100 images each.
Matrix clustered(int64_t clusters, int64_t per_cluster, int64_t d, uint64_t seed) {
    Matrix m = normal_matrix(clusters * per_cluster, d, seed, 0.0, 0.5);
    for (int64_t i = 0; i < m.rows(); ++i) m.values[i * d + (i / per_cluster) % d] += 10.0f;
    return m;
}

std::vector<double> run(const std::string& name, const Matrix& real, const Matrix& generated,
                        const nlohmann::json& params = nlohmann::json::object()) {
    MetricUnderTest metric(name, params);
    metric.update(GENHOST_METRIC_REAL, real);
    metric.update(GENHOST_METRIC_GENERATED, generated);
    return metric.compute();
}

}  // namespace

TEST_CASE("identical sets give fid 0 and kid about 0") {
    const int64_t m = 500, d = 32;
    const Matrix x = normal_matrix(m, d, 3, 2.0, 1.5);
    const double fid = run("fid", x, x)[0];
    INFO("fid " << fid);
    CHECK(fid >= 0.0);
    CHECK(fid < 1e-6);

    // One subset of every image: the unbiased MMD^2 of a set with itself is
    // 2 (mean_{i != j} k(x_i, x_j) - mean_i k(x_i, x_i)) / m, which Cauchy-Schwarz puts in
    // [-2 mean_i k(x_i, x_i) / m, 0]: O(1/m), not exactly 0.
    double diagonal = 0;
    for (int64_t i = 0; i < m; ++i) {
        double dot = 0;
        for (int64_t j = 0; j < d; ++j) dot += double(x.values[i * d + j]) * x.values[i * d + j];
        diagonal += std::pow(dot / d + 1.0, 3) / m;
    }
    const double kid = run("kid", x, x, {{"subsets", 1}, {"subset_size", m}})[0];
    INFO("kid " << kid << ", bound " << -2 * diagonal / m);
    CHECK(kid <= 1e-9 * diagonal);
    CHECK(kid >= -2 * diagonal / m);
}

TEST_CASE("kid of two samples of one distribution is about 0, of different ones is not") {
    const Matrix a = normal_matrix(600, 16, 5), b = normal_matrix(600, 16, 6), c = normal_matrix(600, 16, 7, 0.3);
    const auto same = run("kid", a, b, {{"subsets", 20}, {"subset_size", 300}});
    const auto different = run("kid", a, c, {{"subsets", 20}, {"subset_size", 300}});
    INFO("same " << same[0] << " +- " << same[1] << ", different " << different[0] << " +- " << different[1]);
    CHECK(std::fabs(same[0]) < 3 * same[1] + 1e-3);
    CHECK(different[0] > 10 * std::fabs(same[0]));
    CHECK(different[0] > 3 * different[1]);
}

TEST_CASE("kid with subsets as large as both sets computes the one possible value, std 0") {
    const Matrix a = normal_matrix(200, 8, 17), b = normal_matrix(200, 8, 18, 0.2);
    const auto once = run("kid", a, b, {{"subsets", 1}, {"subset_size", 200}});
    const auto many = run("kid", a, b, {{"subsets", 100}, {"subset_size", 200}});
    CHECK(close(many[0], once[0], 1e-12));
    CHECK(many[1] == 0.0);
}

TEST_CASE("kid is deterministic from its seed") {
    const Matrix a = normal_matrix(300, 8, 8), b = normal_matrix(300, 8, 9, 0.2);
    const nlohmann::json params = {{"subsets", 10}, {"subset_size", 100}, {"seed", 3}};
    CHECK(run("kid", a, b, params) == run("kid", a, b, params));
    CHECK(run("kid", a, b, params) != run("kid", a, b, {{"subsets", 10}, {"subset_size", 100}, {"seed", 4}}));
}

TEST_CASE("fid grows monotonically with the noise added to one set") {
    const Matrix real = normal_matrix(800, 16, 10);
    double previous = run("fid", real, real)[0];
    for (double sigma : {0.05, 0.1, 0.2, 0.4, 0.8, 1.6}) {
        const double fid = run("fid", real, plus_noise(real, sigma, 11))[0];
        INFO("sigma " << sigma << ": fid " << fid << ", previous " << previous);
        CHECK(fid > previous);
        previous = fid;
    }
}

TEST_CASE("mode collapse gives high precision and low recall, noise gives lower precision") {
    const int64_t clusters = 10, per = 100, d = 16;
    const Matrix real = clustered(clusters, per, d, 12);
    // Collapsed: the generated images are real images of only 2 clusters.
    Matrix collapsed = real.slice(0, 2 * per);
    const auto c = run("prdc", real, collapsed);
    INFO("collapsed: precision " << c[0] << ", recall " << c[1] << ", density " << c[2] << ", coverage " << c[3]);
    CHECK(c[0] > 0.95);
    CHECK(c[1] < 0.3);
    CHECK(c[3] < 0.3);

    // Noisy: every cluster, but blurred well beyond the clusters' own spread.
    const auto n = run("prdc", real, plus_noise(clustered(clusters, per, d, 13), 1.0, 14));
    INFO("noisy: precision " << n[0] << ", recall " << n[1] << ", density " << n[2] << ", coverage " << n[3]);
    CHECK(n[0] < c[0] - 0.3);
    CHECK(n[2] < c[2]);

    // A fresh sample of the real distribution scores high everywhere.
    const auto good = run("prdc", real, clustered(clusters, per, d, 15));
    INFO("good: precision " << good[0] << ", recall " << good[1] << ", density " << good[2] << ", coverage " << good[3]);
    CHECK(good[0] > 0.7);  // k = 3 balls miss the edges of a cluster: about 0.8 at this N and D
    CHECK(good[1] > 0.7);
    CHECK(good[3] > 0.8);
}

TEST_CASE("inception_score: confident predictions over many classes score high, uniform ones 1") {
    const int64_t n = 1000, k = 10;
    Matrix confident{std::vector<float>(n * k, 0.0f), {n, k}}, uniform{std::vector<float>(n * k, 0.1f), {n, k}};
    // In class order, as a class-conditional sampler makes them: 100 of class 0, then class 1, ...
    for (int64_t i = 0; i < n; ++i) confident.values[i * k + i / (n / k)] = 1.0f;
    const Matrix features = normal_matrix(n, 4, 16);
    MetricUnderTest shuffled("inception_score"), in_order("inception_score", {{"shuffle", false}}), flat("inception_score");
    shuffled.update(GENHOST_METRIC_GENERATED, features, confident);
    in_order.update(GENHOST_METRIC_GENERATED, features, confident);
    flat.update(GENHOST_METRIC_GENERATED, features, uniform);
    const auto high = shuffled.compute(), one_class_per_split = in_order.compute(), one = flat.compute();
    INFO("confident " << high[0] << " +- " << high[1] << ", unshuffled " << one_class_per_split[0] << ", uniform "
                      << one[0]);
    CHECK(high[0] > 9.0);  // at most K = 10; a split of 100 shuffled images has uneven classes
    CHECK(high[0] <= 10.0 + 1e-9);
    // Unshuffled, every split holds one class: p(y) = p(y|x), the score of a single class.
    CHECK(close(one_class_per_split[0], 1.0));
    CHECK(close(one[0], 1.0));
}
