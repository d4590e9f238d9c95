// Inception Score (Salimans et al. 2016), over the generated set's class probabilities:
//   IS = exp( E_x KL( p(y|x) || p(y) ) ),   p(y) = E_x p(y|x)
// computed on each of `splits` consecutive chunks of the N images (chunk i is images
// [i N / splits, (i + 1) N / splits)), then the mean and the population std of the
// chunk scores, as the original code and torch-fidelity. Higher is better: confident
// (low-entropy) predictions that together cover many classes; at most K.
//
// With `shuffle` (the default, as torch-fidelity) the images are permuted first, by a
// fixed seed: a class-conditional model's images usually come in class order, and a
// chunk of one class has p(y) = p(y|x) and scores 1. The real set is not used.
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include <genhost/cpp/plugin.hpp>
#include <genhost/ext/metric.h>

#include "common/feature_sets.hpp"
#include "common/subsets.hpp"

namespace genhost::metrics {
namespace {

class InceptionScore : public FeatureMetric {
public:
    static PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_METRIC, "org.genhost.inception_score", "Inception Score", "1.0.0", "genhost",
                "Inception Score (Salimans et al. 2016) of the generated images from the feature network's class "
                "probabilities: higher is better, at most the number of classes.",
                {"inception_score", "features", "probabilities"},
                ParamSchema()
                    .integer("splits", 10, "the generated set is scored in this many chunks; mean and std over them", 1)
                    .boolean("shuffle", true, "permute the images (by `seed`) before splitting, as torch-fidelity")
                    .integer("seed", 0, "the permutation's seed", 0)};
    }

    explicit InceptionScore(const Context& context)
        : splits_(context.params.integer("splits")),
          shuffle_(context.params.boolean("shuffle")),
          seed_(static_cast<uint64_t>(context.params.integer("seed"))) {}

    std::vector<std::string> value_names() const override { return {"inception_score", "inception_score_std"}; }

    void reset() override {
        probabilities_.clear();
        rows_ = classes_ = dim_ = 0;
    }

    void update_features(uint32_t set, const TensorView& features,
                         const std::optional<TensorView>& probabilities) override {
        check_features(features, set, dim_);
        if (set == GENHOST_METRIC_REAL) return;  // IS looks at generated images only
        const int64_t n = features.dim(0);
        const TensorView& p =
            class_probabilities(probabilities, n, set, classes_, "the Inception Score", "inception_score");
        probabilities_.insert(probabilities_.end(), p.data(), p.data() + n * classes_);
        rows_ += n;
    }

    std::vector<double> compute() override {
        require_images(rows_, splits_, GENHOST_METRIC_GENERATED,
                       "each of the splits = " + std::to_string(splits_) + " chunks needs at least one image");
        std::vector<int64_t> order(static_cast<size_t>(rows_));
        std::iota(order.begin(), order.end(), int64_t(0));
        if (shuffle_) order = SubsetSampler(seed_).draw(rows_, rows_);

        std::vector<double> scores;
        for (int64_t s = 0; s < splits_; ++s)
            scores.push_back(chunk_score(order, s * rows_ / splits_, (s + 1) * rows_ / splits_));
        double mean = 0, variance = 0;
        for (double v : scores) mean += v / splits_;
        for (double v : scores) variance += (v - mean) * (v - mean) / splits_;
        return {mean, std::sqrt(variance)};
    }

private:
    // exp of the mean over images [begin, end) of order of KL(p(y|x) || p(y)), with p(y)
    // the chunk's mean; 0 log 0 = 0.
    double chunk_score(const std::vector<int64_t>& order, int64_t begin, int64_t end) const {
        const int64_t k = classes_;
        std::vector<double> marginal(static_cast<size_t>(k), 0.0);
        for (int64_t i = begin; i < end; ++i)
            for (int64_t j = 0; j < k; ++j) marginal[j] += probabilities_[order[i] * k + j];
        for (double& q : marginal) q /= static_cast<double>(end - begin);
        double kl_sum = 0;
        for (int64_t i = begin; i < end; ++i)
            for (int64_t j = 0; j < k; ++j) {
                const double p = probabilities_[order[i] * k + j];
                if (p > 0) kl_sum += p * (std::log(p) - std::log(marginal[j]));
            }
        return std::exp(kl_sum / static_cast<double>(end - begin));
    }

    int64_t splits_;
    bool shuffle_;
    uint64_t seed_;
    std::vector<float> probabilities_;  // [rows_, classes_], the generated set's
    int64_t rows_ = 0, classes_ = 0, dim_ = 0;
};

}  // namespace
}  // namespace genhost::metrics

GENHOST_PLUGINS(genhost::metrics::InceptionScore);
