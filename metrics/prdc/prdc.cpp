// Precision and recall (Kynkaenniemi et al. 2019), density and coverage (Naeem et al.
// 2020), from k-nearest-neighbour balls around feature vectors. With r_k(v) the distance
// from v to its k-th nearest neighbour in its own set, real X (n images), generated Y (m):
//   precision = 1/m sum_j [ exists i: ||y_j - x_i|| <= r_pr(x_i) ]   generated inside the real manifold
//   recall    = 1/n sum_i [ exists j: ||x_i - y_j|| <= r_pr(y_j) ]   real inside the generated manifold
//   density   = 1/(k m) sum_j sum_i [ ||y_j - x_i|| < r_dc(x_i) ]    how many real balls hold y_j, over k
//   coverage  = 1/n sum_i [ min_j ||x_i - y_j|| < r_dc(x_i) ]         real balls holding any generated image
// with k = pr_k for precision and recall (3 in the paper) and k = dc_k for density and
// coverage (5 in theirs). The comparisons are those of the authors' code: <= in NVlabs'
// precision-recall, < in clovaai's prdc; they differ only on exact ties. Euclidean
// distances in float64, compared squared (the same order, without 10^8 square roots).
// Higher is better for all four; density can exceed 1.
#include <algorithm>
#include <string>
#include <vector>

#include <genhost/cpp/plugin.hpp>
#include <genhost/ext/metric.h>

#include "common/blas_threads.hpp"
#include "common/distances.hpp"
#include "common/feature_sets.hpp"

namespace genhost::metrics {
namespace {

class Prdc : public FeatureMetric {
public:
    static PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_METRIC, "org.genhost.prdc", "Precision, recall, density, coverage", "1.0.0",
                "genhost",
                "Improved precision and recall (Kynkaenniemi et al. 2019) and density and coverage (Naeem et al. "
                "2020) from k-nearest-neighbour balls in feature space: higher is better.",
                {"prdc", "precision", "recall", "features"},
                ParamSchema()
                    .integer("pr_k", 3, "k of the k-NN balls for precision and recall (Kynkaenniemi et al.: 3)", 1)
                    .integer("dc_k", 5, "k of the k-NN balls for density and coverage (Naeem et al.: 5)", 1)};
    }

    explicit Prdc(const Context& context)
        : host_(context.host), pr_k_(context.params.integer("pr_k")), dc_k_(context.params.integer("dc_k")) {}

    std::vector<std::string> value_names() const override { return {"precision", "recall", "density", "coverage"}; }
    void reset() override { sets_.reset(); }
    void update_features(uint32_t set, const TensorView& features, const std::optional<TensorView>&) override {
        sets_.add(set, features);
    }

    std::vector<double> compute() override {
        const FeatureRows &real = sets_.real(), &generated = sets_.generated();
        const std::string real_why = "k-NN balls with pr_k = " + std::to_string(pr_k_) + " and dc_k = " +
                                     std::to_string(dc_k_) + " need more than max(pr_k, dc_k) images";
        require_images(real.rows(), std::max(pr_k_, dc_k_) + 1, GENHOST_METRIC_REAL, real_why);
        require_images(generated.rows(), pr_k_ + 1, GENHOST_METRIC_GENERATED,
                       "k-NN balls with pr_k = " + std::to_string(pr_k_) + " need more than pr_k images");

        BlasThreads threads(host_.num_threads());
        // Squared radii, compared with squared distances.
        const auto real_radii = knn_squared_radii(real, {pr_k_, dc_k_});
        const std::vector<double>& real_pr = real_radii[0];
        const std::vector<double>& real_dc = real_radii[1];
        const std::vector<double> generated_pr = knn_squared_radii(generated, {pr_k_})[0];

        const int64_t n = real.rows(), m = generated.rows();
        std::vector<char> generated_in_real(static_cast<size_t>(m), 0);
        std::vector<int64_t> balls_holding(static_cast<size_t>(m), 0);
        int64_t real_in_generated = 0, covered = 0;
        // One pass over the real x generated distances, a block of real rows at a time;
        // the inner loop has no branches, so it vectorises.
        for_each_squared_distance_block(real, generated, false, [&](int64_t first, int64_t rows, const double* dist) {
            for (int64_t r = 0; r < rows; ++r) {
                const int64_t i = first + r;
                const double* row = dist + r * m;
                const double pr = real_pr[i], dc = real_dc[i];
                char in_generated = 0;
                double nearest = row[0];
                for (int64_t j = 0; j < m; ++j) {
                    const double v = row[j];
                    generated_in_real[j] |= v <= pr;
                    balls_holding[j] += v < dc;
                    in_generated |= v <= generated_pr[j];
                    nearest = std::min(nearest, v);
                }
                real_in_generated += in_generated;
                covered += nearest < dc;
            }
        });
        int64_t precise = 0, held = 0;
        for (int64_t j = 0; j < m; ++j) precise += generated_in_real[j], held += balls_holding[j];
        return {static_cast<double>(precise) / m, static_cast<double>(real_in_generated) / n,
                static_cast<double>(held) / (static_cast<double>(dc_k_) * m), static_cast<double>(covered) / n};
    }

private:
    Host host_;
    int64_t pr_k_, dc_k_;
    FeatureSets sets_;
};

}  // namespace
}  // namespace genhost::metrics

GENHOST_PLUGINS(genhost::metrics::Prdc);
