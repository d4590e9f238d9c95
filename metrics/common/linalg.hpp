// Dense symmetric linear algebra in float64, on LAPACK (OpenBLAS's): what FID needs.
// Matrices are [d, d] row-major std::vector<double>.
#pragma once

#include <cstdint>
#include <vector>

namespace genhost::metrics {

struct SymmetricEigen {
    std::vector<double> values;   // ascending, [d]
    std::vector<double> vectors;  // vectors[k * d + i] is component i of the unit eigenvector of values[k]
};

// The eigendecomposition of symmetric `a` ([d, d]; only its upper triangle is read).
// `with_vectors` false skips the vectors (and leaves them empty). Throws
// PluginError(GENHOST_ERROR_NUMERIC) when LAPACK does not converge.
SymmetricEigen symmetric_eigen(std::vector<double> a, int64_t d, bool with_vectors = true);

// The square root of a positive semi-definite matrix, V sqrt(max(L, 0)) V^T: rounding
// can leave a PSD matrix with eigenvalues like -1e-17, which count as 0.
std::vector<double> psd_sqrt(const std::vector<double>& a, int64_t d);

// tr sqrt(S1 S2) for covariance matrices S1, S2, as tr sqrt(A S2 A) with A = sqrt(S1):
// the two products are similar (S1 S2 = A (A S2 A) A^-1, and by continuity when S1 is
// singular), but A S2 A is symmetric PSD, so its eigenvalues are real and its square
// root never has the imaginary part that a general sqrtm of S1 S2 can pick up from
// rounding. Negative eigenvalues from rounding count as 0.
double trace_sqrt_product(const std::vector<double>& s1, const std::vector<double>& s2, int64_t d);

}  // namespace genhost::metrics
