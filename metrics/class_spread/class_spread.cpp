// Class spread: how many of the judge's classes the generated images fall in, and how
// evenly, beside the real images' spread. Mode collapse as a number (a GAN that draws
// only T-shirts scores 1; the test split of Fashion-MNIST about 10):
//   h_c          = share of the set whose most probable class (argmax_k p(k|x)) is c
//   class_spread = exp(H(h)) = exp(-sum_c h_c log h_c)   (the effective number of classes)
// and classes_missing, the number of classes the real set draws at least 1/(2K) of
// that the generated set draws less than a quarter as often as the real one: the modes a
// model dropped. Unlike the Inception Score it needs no confident predictions and names
// the count of lost classes, not a blend of confidence and spread.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <genhost/cpp/plugin.hpp>
#include <genhost/ext/metric.h>

#include "common/feature_sets.hpp"

namespace genhost::metrics {
namespace {

// The share of rows whose largest probability is at each class (the first on ties).
class ArgmaxHistogram {
public:
    void add(const float* probabilities, int64_t rows, int64_t classes) {
        counts_.resize(static_cast<size_t>(classes), 0);
        for (int64_t i = 0; i < rows; ++i) {
            const float* p = probabilities + i * classes;
            ++counts_[static_cast<size_t>(std::max_element(p, p + classes) - p)];
        }
        rows_ += rows;
    }
    void clear() { counts_.clear(), rows_ = 0; }
    int64_t rows() const { return rows_; }
    double share(size_t c) const { return c < counts_.size() ? double(counts_[c]) / double(rows_) : 0.0; }
    double effective_classes() const {
        double entropy = 0;
        for (size_t c = 0; c < counts_.size(); ++c)
            if (const double h = share(c); h > 0) entropy -= h * std::log(h);
        return std::exp(entropy);
    }

private:
    std::vector<int64_t> counts_;
    int64_t rows_ = 0;
};

class ClassSpread : public FeatureMetric {
public:
    static PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_METRIC, "org.genhost.class_spread", "Class spread", "1.0.0", "genhost",
                "How many of the judge's classes the generated images fall in (the effective number, exp of the "
                "entropy of the predicted-class histogram), and how many classes of the real set they miss: mode "
                "collapse as a number.",
                {"class_spread", "features", "probabilities"},
                ParamSchema()};
    }

    explicit ClassSpread(const Context&) {}

    std::vector<std::string> value_names() const override {
        return {"class_spread", "class_spread_real", "classes_missing"};
    }

    void reset() override {
        real_.clear(), generated_.clear();
        classes_ = dim_ = 0;
    }

    void update_features(uint32_t set, const TensorView& features,
                         const std::optional<TensorView>& probabilities) override {
        check_features(features, set, dim_);
        const int64_t n = features.dim(0);
        const TensorView& p = class_probabilities(probabilities, n, set, classes_, "class_spread", "class_spread");
        (set == GENHOST_METRIC_REAL ? real_ : generated_).add(p.data(), n, classes_);
    }

    std::vector<double> compute() override {
        require_images(real_.rows(), 1, GENHOST_METRIC_REAL, "the real set defines which classes should appear");
        require_images(generated_.rows(), 1, GENHOST_METRIC_GENERATED, "there is nothing to count");
        int64_t missing = 0;
        for (size_t c = 0; c < static_cast<size_t>(classes_); ++c)
            if (real_.share(c) >= 0.5 / double(classes_) && generated_.share(c) < 0.25 * real_.share(c)) ++missing;
        return {generated_.effective_classes(), real_.effective_classes(), double(missing)};
    }

private:
    ArgmaxHistogram real_, generated_;
    int64_t classes_ = 0, dim_ = 0;
};

}  // namespace
}  // namespace genhost::metrics

GENHOST_PLUGINS(genhost::metrics::ClassSpread);
