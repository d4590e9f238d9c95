// The two image sets a metric compares, as the feature network saw them, and the checks
// every metric makes on a batch of features before it keeps any of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <genhost/cpp/tensor_view.hpp>

namespace genhost::metrics {

// "real" or "generated"; throws std::invalid_argument for any other GENHOST_METRIC_* value.
const char* set_name(uint32_t set);

// Checks a batch of features: [N, D] with N >= 1, D > 0, D equal to `dim` when dim > 0
// (the D of earlier batches of either set: one feature network gives one D), every
// value finite (GENHOST_ERROR_NUMERIC otherwise). Sets `dim` on the first batch.
void check_features(const TensorView& features, uint32_t set, int64_t& dim);

// Checks class probabilities [N, K] against their features' N and the K of earlier
// batches (`classes`, 0 = none yet): finite, >= 0, rows summing to 1 within 1e-3.
void check_probabilities(const TensorView& probabilities, int64_t rows, uint32_t set, int64_t& classes);

// The batch's class probabilities, checked as above; GENHOST_ERROR_UNSUPPORTED when the
// feature network gives none, naming the metric (`what`, as a person reads it) and its
// key in evaluate.metrics (`key`) so the message says what to change.
const TensorView& class_probabilities(const std::optional<TensorView>& probabilities, int64_t rows, uint32_t set,
                                      int64_t& classes, const std::string& what, const std::string& key);

// Throws GENHOST_ERROR_STATE unless `set` has at least `minimum` images, saying `why`.
void require_images(int64_t count, int64_t minimum, uint32_t set, const std::string& why);

// Rows of float64 values, [rows, dim] row-major: the features of one set, kept whole.
class FeatureRows {
public:
    void append(const float* values, int64_t rows, int64_t dim);
    void clear() { values_.clear(), rows_ = 0; }
    int64_t rows() const { return rows_; }
    int64_t dim() const { return dim_; }
    const double* data() const { return values_.data(); }
    const double* row(int64_t i) const { return values_.data() + i * dim_; }

private:
    std::vector<double> values_;
    int64_t rows_ = 0, dim_ = 0;
};

// Both sets, checked on the way in; for the metrics that need every feature (KID, PRDC).
class FeatureSets {
public:
    void add(uint32_t set, const TensorView& features);
    void reset();
    const FeatureRows& real() const { return real_; }
    const FeatureRows& generated() const { return generated_; }
    int64_t dim() const { return dim_; }

private:
    FeatureRows real_, generated_;
    int64_t dim_ = 0;
};

}  // namespace genhost::metrics
