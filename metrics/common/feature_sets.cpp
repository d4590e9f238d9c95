#include "common/feature_sets.hpp"

#include <cmath>
#include <stdexcept>

#include <genhost/cpp/context.hpp>
#include <genhost/ext/metric.h>

namespace genhost::metrics {

const char* set_name(uint32_t set) {
    if (set == GENHOST_METRIC_REAL) return "real";
    if (set == GENHOST_METRIC_GENERATED) return "generated";
    throw std::invalid_argument("unknown image set " + std::to_string(set) +
                                " (expected GENHOST_METRIC_REAL = 0 or GENHOST_METRIC_GENERATED = 1)");
}

void check_features(const TensorView& features, uint32_t set, int64_t& dim) {
    const std::string what = std::string("features of the ") + set_name(set) + " set";
    if (features.ndim() != 2)
        throw std::invalid_argument(what + ": expected a 2-D tensor [N, D], got " + shape_string(features.shape()));
    const int64_t n = features.dim(0), d = features.dim(1);
    if (n < 1 || d < 1) throw std::invalid_argument(what + ": empty batch " + shape_string(features.shape()));
    if (dim > 0 && d != dim)
        throw std::invalid_argument(what + ": D = " + std::to_string(d) + " in a batch " +
                                    shape_string(features.shape()) + ", but earlier batches had D = " +
                                    std::to_string(dim) + " (one feature network gives one D; reset to change it)");
    const float* x = features.data();
    for (int64_t i = 0; i < n * d; ++i)
        if (!std::isfinite(x[i]))
            throw PluginError(GENHOST_ERROR_NUMERIC, what + ": row " + std::to_string(i / d) + ", column " +
                                                         std::to_string(i % d) + " is " + std::to_string(x[i]) +
                                                         "; the feature network gave a non-finite feature");
    dim = d;
}

const TensorView& class_probabilities(const std::optional<TensorView>& probabilities, int64_t rows, uint32_t set,
                                      int64_t& classes, const std::string& what, const std::string& key) {
    if (!probabilities)
        throw PluginError(GENHOST_ERROR_UNSUPPORTED,
                          what + " needs class probabilities, and the feature network gives none (num_classes = 0); "
                                 "use a classifier as the judge, or drop " + key + " from evaluate.metrics");
    check_probabilities(*probabilities, rows, set, classes);
    return *probabilities;
}

void check_probabilities(const TensorView& probabilities, int64_t rows, uint32_t set, int64_t& classes) {
    const std::string what = std::string("probabilities of the ") + set_name(set) + " set";
    if (probabilities.ndim() != 2 || probabilities.dim(0) != rows || probabilities.dim(1) < 1)
        throw std::invalid_argument(what + ": expected [N, K] with N = " + std::to_string(rows) +
                                    " (the features' rows) and K >= 1, got " +
                                    shape_string(probabilities.shape()));
    const int64_t k = probabilities.dim(1);
    if (classes > 0 && k != classes)
        throw std::invalid_argument(what + ": K = " + std::to_string(k) + ", but earlier batches had K = " +
                                    std::to_string(classes));
    const float* p = probabilities.data();
    for (int64_t i = 0; i < rows; ++i) {
        double sum = 0;
        for (int64_t j = 0; j < k; ++j) {
            const float v = p[i * k + j];
            if (!std::isfinite(v) || v < 0)
                throw PluginError(GENHOST_ERROR_NUMERIC, what + ": row " + std::to_string(i) + ", class " +
                                                             std::to_string(j) + " is " + std::to_string(v) +
                                                             " (a probability must be finite and >= 0)");
            sum += v;
        }
        // float32 softmax rows sum to 1 within a few 1e-7 per class; 1e-3 catches logits
        // passed as probabilities without rejecting honest rounding.
        if (std::fabs(sum - 1.0) > 1e-3)
            throw std::invalid_argument(what + ": row " + std::to_string(i) + " sums to " + std::to_string(sum) +
                                        ", not 1 (expected softmax outputs, not logits)");
    }
    classes = k;
}

void require_images(int64_t count, int64_t minimum, uint32_t set, const std::string& why) {
    if (count >= minimum) return;
    throw PluginError(GENHOST_ERROR_STATE, std::string("the ") + set_name(set) + " set has N = " +
                                               std::to_string(count) +
                                               (count == 0 ? " (no update_features call for it since reset)" : "") +
                                               ": " + why);
}

void FeatureRows::append(const float* values, int64_t rows, int64_t dim) {
    if (rows_ == 0) dim_ = dim;
    values_.insert(values_.end(), values, values + rows * dim);  // float -> double, exactly
    rows_ += rows;
}

void FeatureSets::add(uint32_t set, const TensorView& features) {
    check_features(features, set, dim_);
    FeatureRows& rows = set == GENHOST_METRIC_REAL ? real_ : generated_;
    rows.append(features.data(), features.dim(0), features.dim(1));
}

void FeatureSets::reset() {
    real_.clear(), generated_.clear();
    dim_ = 0;
}

}  // namespace genhost::metrics
