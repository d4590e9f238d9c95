// Streaming mean and covariance of feature vectors, in float64.
//
// Batches merge exactly (Chan, Golub & LeVeque 1979): each batch contributes its own
// mean and centred scatter, and the scatter of the union adds the term for the distance
// between the means. Unlike sum(x x^T) - n mu mu^T this never subtracts two large
// numbers, so features far from the origin keep their covariance's digits.
#pragma once

#include <cstdint>
#include <vector>

namespace genhost::metrics {

class Moments {
public:
    // Adds `rows` feature vectors of size `dim` (row-major). The first call fixes dim.
    void add(const float* values, int64_t rows, int64_t dim);
    void clear();

    int64_t count() const { return count_; }
    int64_t dim() const { return dim_; }
    const std::vector<double>& mean() const { return mean_; }  // [dim]
    // The unbiased sample covariance (divided by count - 1, as numpy.cov), [dim, dim]
    // row-major and symmetric. Needs count >= 2.
    std::vector<double> covariance() const;

private:
    int64_t count_ = 0, dim_ = 0;
    std::vector<double> mean_;
    std::vector<double> scatter_;  // sum over images of (x - mean)(x - mean)^T, upper triangle kept
};

}  // namespace genhost::metrics
