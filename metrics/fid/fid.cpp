// Frechet Inception Distance (Heusel et al. 2017), in the feature network's space:
//   FID = ||mu_r - mu_g||^2 + tr(S_r) + tr(S_g) - 2 tr sqrt(S_r S_g)
// the Frechet (2-Wasserstein) distance between Gaussians fitted to the real and the
// generated features; mu and S are the sample means and unbiased covariances (N - 1).
// Lower is better; 0 for identical sets.
//
// tr sqrt(S_r S_g) comes from the eigenvalues of the symmetric sqrt(S_r) S_g sqrt(S_r)
// (common/linalg.hpp), never from a general matrix square root that can turn complex.
// The result is a squared distance, so a tiny negative value can only be rounding: it
// is reported as 0.
#include <algorithm>
#include <string>
#include <vector>

#include <genhost/cpp/plugin.hpp>
#include <genhost/ext/metric.h>

#include "common/blas_threads.hpp"
#include "common/feature_sets.hpp"
#include "common/linalg.hpp"
#include "common/moments.hpp"

namespace genhost::metrics {
namespace {

class Fid : public FeatureMetric {
public:
    static PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_METRIC, "org.genhost.fid", "FID", "1.0.0", "genhost",
                "Frechet Inception Distance (Heusel et al. 2017) between real and generated features: lower is "
                "better. Biased upwards at small N; compare only at equal N in the same feature space.",
                {"fid", "features"}, ParamSchema()};
    }

    explicit Fid(const Context& context) : host_(context.host) {}

    std::vector<std::string> value_names() const override { return {"fid"}; }

    void reset() override {
        real_.clear(), generated_.clear();
        dim_ = 0;
    }

    void update_features(uint32_t set, const TensorView& features, const std::optional<TensorView>&) override {
        check_features(features, set, dim_);
        BlasThreads threads(host_.num_threads());
        (set == GENHOST_METRIC_REAL ? real_ : generated_).add(features.data(), features.dim(0), features.dim(1));
    }

    std::vector<double> compute() override {
        for (auto [moments, set] : {std::pair{&real_, GENHOST_METRIC_REAL}, {&generated_, GENHOST_METRIC_GENERATED}}) {
            require_images(moments->count(), 2, set, "a covariance needs at least 2 images");
            // rank(S) <= N - 1: with N <= D the Gaussian is degenerate, and FID mostly
            // measures how few images there are.
            if (moments->count() <= dim_)
                host_.warn(std::string("FID: the ") + set_name(set) + " set has N = " +
                           std::to_string(moments->count()) + " images for D = " + std::to_string(dim_) +
                           " features, so its covariance is rank-deficient (rank <= N - 1 < D) and FID is "
                           "unreliable; use more than D images, ideally 10 D or more");
        }
        BlasThreads threads(host_.num_threads());
        const int64_t d = dim_;
        const std::vector<double> s_r = real_.covariance(), s_g = generated_.covariance();
        double mean_term = 0, trace_r = 0, trace_g = 0;
        for (int64_t i = 0; i < d; ++i) {
            const double diff = real_.mean()[i] - generated_.mean()[i];
            mean_term += diff * diff;
            trace_r += s_r[i * d + i];
            trace_g += s_g[i * d + i];
        }
        const double fid = mean_term + trace_r + trace_g - 2.0 * trace_sqrt_product(s_r, s_g, d);
        return {std::max(fid, 0.0)};
    }

private:
    Host host_;
    Moments real_, generated_;
    int64_t dim_ = 0;
};

}  // namespace
}  // namespace genhost::metrics

GENHOST_PLUGINS(genhost::metrics::Fid);
