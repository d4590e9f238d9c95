#include "common/distances.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <cblas.h>

namespace genhost::metrics {

namespace {

std::vector<double> squared_norms(const FeatureRows& x) {
    std::vector<double> norms(static_cast<size_t>(x.rows()));
    for (int64_t i = 0; i < x.rows(); ++i) {
        const double* r = x.row(i);
        double s = 0;
        for (int64_t j = 0; j < x.dim(); ++j) s += r[j] * r[j];
        norms[i] = s;
    }
    return norms;
}

}  // namespace

void for_each_squared_distance_block(const FeatureRows& a, const FeatureRows& b, bool same,
                                     const DistanceBlockVisitor& visit) {
    if (a.dim() != b.dim()) throw std::logic_error("for_each_squared_distance_block: feature dims differ");
    const int64_t m = b.rows(), d = a.dim();
    if (a.rows() == 0 || m == 0) return;
    const std::vector<double> na = squared_norms(a), nb = same ? na : squared_norms(b);
    // About 4 M doubles (32 MB) per block, and at least one row.
    const int64_t block = std::max<int64_t>(1, std::min<int64_t>(a.rows(), (int64_t(1) << 22) / m));
    std::vector<double> dist(static_cast<size_t>(block * m));
    for (int64_t first = 0; first < a.rows(); first += block) {
        const int64_t rows = std::min(block, a.rows() - first);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(m),
                    static_cast<int>(d), -2.0, a.row(first), static_cast<int>(d), b.data(), static_cast<int>(d), 0.0,
                    dist.data(), static_cast<int>(m));
        for (int64_t r = 0; r < rows; ++r) {
            double* row = dist.data() + r * m;
            for (int64_t j = 0; j < m; ++j) row[j] = std::max(0.0, row[j] + na[first + r] + nb[j]);
            if (same) row[first + r] = 0.0;
        }
        visit(first, rows, dist.data());
    }
}

std::vector<std::vector<double>> knn_squared_radii(const FeatureRows& x, const std::vector<int64_t>& ks) {
    int64_t largest = 0;
    for (int64_t k : ks) {
        if (k < 1 || k >= x.rows())
            throw std::invalid_argument("a k-nearest-neighbour radius with k = " + std::to_string(k) + " needs more than " +
                                        std::to_string(k) + " images, the set has " + std::to_string(x.rows()));
        largest = std::max(largest, k);
    }
    std::vector<std::vector<double>> radii(ks.size(), std::vector<double>(static_cast<size_t>(x.rows())));
    std::vector<double> row;
    for_each_squared_distance_block(x, x, true, [&](int64_t first, int64_t rows, const double* dist) {
        for (int64_t r = 0; r < rows; ++r) {
            row.assign(dist + r * x.rows(), dist + (r + 1) * x.rows());
            // The largest+1 smallest distances in order; each radius is one of them.
            std::partial_sort(row.begin(), row.begin() + largest + 1, row.end());
            for (size_t i = 0; i < ks.size(); ++i) radii[i][first + r] = row[ks[i]];
        }
    });
    return radii;
}

}  // namespace genhost::metrics
