// Kernel Inception Distance (Binkowski et al. 2018): the unbiased estimate of the
// squared maximum mean discrepancy between real (X) and generated (Y) features under
// the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3, on m images from each set:
//   MMD^2 = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
//           - 2 sum_{i, j} k(x_i, y_j) / m^2
// averaged over `subsets` random subsets of m = `subset_size` images per set, each drawn
// without replacement (torch-fidelity's kid_features_to_metric); "kid_std" is the
// population std over the subsets. Lower is better; unbiased, so it can be slightly
// negative when the sets match, and its expectation does not depend on m.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <cblas.h>

#include <genhost/cpp/plugin.hpp>
#include <genhost/ext/metric.h>

#include "common/blas_threads.hpp"
#include "common/feature_sets.hpp"
#include "common/subsets.hpp"

namespace genhost::metrics {
namespace {

double cube(double g, double inv_d) {
    const double k = g * inv_d + 1.0;
    return k * k * k;
}

// sum_{i != j} k(x_i, x_j) for m rows of x ([m, d]): the Gram matrix's upper triangle, twice.
double kernel_sum_off_diagonal(const std::vector<double>& x, int64_t m, int64_t d, std::vector<double>& gram) {
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, static_cast<int>(m), static_cast<int>(d), 1.0, x.data(),
                static_cast<int>(d), 0.0, gram.data(), static_cast<int>(m));
    const double inv_d = 1.0 / static_cast<double>(d);
    double sum = 0;
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = i + 1; j < m; ++j) sum += cube(gram[i * m + j], inv_d);
    return 2.0 * sum;
}

// sum_{i, j} k(x_i, y_j).
double kernel_sum_cross(const std::vector<double>& x, const std::vector<double>& y, int64_t m, int64_t d,
                        std::vector<double>& gram) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(m), static_cast<int>(d),
                1.0, x.data(), static_cast<int>(d), y.data(), static_cast<int>(d), 0.0, gram.data(),
                static_cast<int>(m));
    const double inv_d = 1.0 / static_cast<double>(d);
    double sum = 0;
    for (int64_t i = 0; i < m * m; ++i) sum += cube(gram[i], inv_d);
    return sum;
}

void gather(const FeatureRows& rows, const std::vector<int64_t>& index, std::vector<double>& out) {
    const int64_t d = rows.dim();
    for (size_t i = 0; i < index.size(); ++i) std::copy(rows.row(index[i]), rows.row(index[i]) + d, out.data() + i * d);
}

class Kid : public FeatureMetric {
public:
    static PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_METRIC, "org.genhost.kid", "KID", "1.0.0", "genhost",
                "Kernel Inception Distance (Binkowski et al. 2018): unbiased MMD^2 between real and generated "
                "features under a cubic polynomial kernel, mean and std over random subsets; lower is better.",
                {"kid", "features"},
                ParamSchema()
                    .integer("subsets", 100, "how many random subsets the mean and std are over", 1)
                    .integer("subset_size", 1000,
                             "images per set in each subset; shrunk (with a warning) to the smaller set's N", 2)
                    .integer("seed", 0, "the seed of the subsets: the same seed and sets give the same values", 0)};
    }

    explicit Kid(const Context& context)
        : host_(context.host),
          subsets_(context.params.integer("subsets")),
          subset_size_(context.params.integer("subset_size")),
          seed_(static_cast<uint64_t>(context.params.integer("seed"))) {}

    std::vector<std::string> value_names() const override { return {"kid", "kid_std"}; }
    void reset() override { sets_.reset(); }
    void update_features(uint32_t set, const TensorView& features, const std::optional<TensorView>&) override {
        sets_.add(set, features);
    }

    std::vector<double> compute() override {
        const FeatureRows &real = sets_.real(), &generated = sets_.generated();
        const std::string why = "the unbiased MMD needs at least 2 images per set";
        require_images(real.rows(), 2, GENHOST_METRIC_REAL, why);
        require_images(generated.rows(), 2, GENHOST_METRIC_GENERATED, why);
        const int64_t m = std::min({subset_size_, real.rows(), generated.rows()});
        if (m < subset_size_)
            host_.warn("KID: subset_size = " + std::to_string(subset_size_) + " but the sets have N = " +
                       std::to_string(real.rows()) + " (real) and " + std::to_string(generated.rows()) +
                       " (generated) images; using subsets of " + std::to_string(m) +
                       " (KID stays unbiased; only its std over subsets grows)");

        BlasThreads threads(host_.num_threads());
        const int64_t d = sets_.dim();
        SubsetSampler sampler(seed_);
        std::vector<double> x(static_cast<size_t>(m * d)), y(x.size()), gram(static_cast<size_t>(m * m));
        std::vector<double> mmds;
        const double pairs = static_cast<double>(m) * static_cast<double>(m - 1), all = static_cast<double>(m) * m;
        // When both sets are no larger than a subset, every subset is both whole sets in
        // some order, and MMD^2 does not depend on the order: one is all of them (std 0).
        const int64_t draws = m == real.rows() && m == generated.rows() ? 1 : subsets_;
        for (int64_t s = 0; s < draws; ++s) {
            gather(real, sampler.draw(real.rows(), m), x);  // real first, then generated, as torch-fidelity
            gather(generated, sampler.draw(generated.rows(), m), y);
            const double xx = kernel_sum_off_diagonal(x, m, d, gram), yy = kernel_sum_off_diagonal(y, m, d, gram);
            const double xy = kernel_sum_cross(x, y, m, d, gram);
            mmds.push_back((xx + yy) / pairs - 2.0 * xy / all);
        }
        double mean = 0, variance = 0;
        for (double v : mmds) mean += v / static_cast<double>(draws);
        for (double v : mmds) variance += (v - mean) * (v - mean) / static_cast<double>(draws);
        return {mean, std::sqrt(variance)};
    }

private:
    Host host_;
    int64_t subsets_, subset_size_;
    uint64_t seed_;
    FeatureSets sets_;
};

}  // namespace
}  // namespace genhost::metrics

GENHOST_PLUGINS(genhost::metrics::Kid);
