#include "common/moments.hpp"

#include <stdexcept>

#include <cblas.h>

namespace genhost::metrics {

void Moments::add(const float* values, int64_t rows, int64_t dim) {
    if (rows <= 0) return;
    if (count_ == 0) {
        dim_ = dim;
        mean_.assign(static_cast<size_t>(dim), 0.0);
        scatter_.assign(static_cast<size_t>(dim * dim), 0.0);
    } else if (dim != dim_) {
        throw std::logic_error("Moments::add: dim changed");  // callers check dims first
    }
    const size_t d = static_cast<size_t>(dim);
    std::vector<double> batch_mean(d, 0.0), centred(static_cast<size_t>(rows) * d);
    for (int64_t i = 0; i < rows; ++i)
        for (size_t j = 0; j < d; ++j) batch_mean[j] += values[i * dim + j];
    for (double& m : batch_mean) m /= static_cast<double>(rows);
    for (int64_t i = 0; i < rows; ++i)
        for (size_t j = 0; j < d; ++j) centred[i * d + j] = values[i * dim + j] - batch_mean[j];

    // scatter += centred^T centred (upper triangle), the batch's own scatter.
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, dim, rows, 1.0, centred.data(), dim, 1.0, scatter_.data(), dim);

    // The merge: delta = batch mean - old mean, weighted n_a n_b / (n_a + n_b).
    const double n_a = static_cast<double>(count_), n_b = static_cast<double>(rows), n = n_a + n_b;
    std::vector<double> delta(d);
    for (size_t j = 0; j < d; ++j) delta[j] = batch_mean[j] - mean_[j];
    if (count_ > 0) cblas_dsyr(CblasRowMajor, CblasUpper, dim, n_a * n_b / n, delta.data(), 1, scatter_.data(), dim);
    for (size_t j = 0; j < d; ++j) mean_[j] += delta[j] * (n_b / n);
    count_ += rows;
}

void Moments::clear() {
    count_ = 0, dim_ = 0;
    mean_.clear(), scatter_.clear();
}

std::vector<double> Moments::covariance() const {
    if (count_ < 2) throw std::logic_error("Moments::covariance needs 2 or more vectors");
    const size_t d = static_cast<size_t>(dim_);
    std::vector<double> c(d * d);
    const double scale = 1.0 / static_cast<double>(count_ - 1);
    for (size_t i = 0; i < d; ++i)
        for (size_t j = i; j < d; ++j) c[i * d + j] = c[j * d + i] = scatter_[i * d + j] * scale;
    return c;
}

}  // namespace genhost::metrics
