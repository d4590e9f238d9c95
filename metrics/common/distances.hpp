// Euclidean distances between feature sets, in float64, a block of rows at a time:
// N = 10000 images would need 800 MB for a whole distance matrix, a block needs 32 MB.
// Everything stays squared: the k-NN tests only compare distances, and a square root
// of 10^8 entries would cost as much as the dgemm that computes them.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "common/feature_sets.hpp"

namespace genhost::metrics {

// Calls visit(first, rows, squared) for consecutive blocks of rows of `a`, where
// squared[r * b.rows() + j] = ||a_(first + r) - b_j||^2. Computed as
// max(0, |a|^2 + |b|^2 - 2 a.b) with one dgemm per block; when `same` (a and b are one
// set) the distance of a row to itself is exactly 0, as sklearn's.
using DistanceBlockVisitor = std::function<void(int64_t first, int64_t rows, const double* squared)>;
void for_each_squared_distance_block(const FeatureRows& a, const FeatureRows& b, bool same,
                                     const DistanceBlockVisitor& visit);

// The squared k-NN radius of every row of `x` for each k in `ks`: the squared distance
// to its k-th nearest neighbour other than itself (the (k+1)-th smallest distance,
// counting the 0 to itself, as Kynkaenniemi et al.'s and Naeem et al.'s code).
// radii[i][r] is for ks[i]. Throws std::invalid_argument unless every k < x.rows().
std::vector<std::vector<double>> knn_squared_radii(const FeatureRows& x, const std::vector<int64_t>& ks);

}  // namespace genhost::metrics
