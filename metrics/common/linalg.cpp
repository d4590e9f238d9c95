#include "common/linalg.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <cblas.h>

#include <genhost/cpp/context.hpp>

// LAPACK's symmetric divide-and-conquer eigensolver, from OpenBLAS. Declared here rather
// than through LAPACKE (not a dependency); the trailing lengths are gfortran's hidden
// string-length arguments.
extern "C" void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
                        double* work, const int* lwork, int* iwork, const int* liwork, int* info, size_t jobz_len,
                        size_t uplo_len);

namespace genhost::metrics {

SymmetricEigen symmetric_eigen(std::vector<double> a, int64_t d, bool with_vectors) {
    // Row-major and column-major agree on a symmetric matrix; LAPACK's "lower" triangle
    // in column-major is our upper one.
    const char jobz = with_vectors ? 'V' : 'N', uplo = 'L';
    const int n = static_cast<int>(d);
    SymmetricEigen result;
    result.values.resize(static_cast<size_t>(d));
    int info = 0, lwork = -1, liwork = -1, iwork_size = 0;
    double work_size = 0;
    dsyevd_(&jobz, &uplo, &n, a.data(), &n, result.values.data(), &work_size, &lwork, &iwork_size, &liwork, &info, 1, 1);
    if (info == 0) {
        lwork = static_cast<int>(work_size), liwork = iwork_size;
        std::vector<double> work(static_cast<size_t>(std::max(lwork, 1)));
        std::vector<int> iwork(static_cast<size_t>(std::max(liwork, 1)));
        dsyevd_(&jobz, &uplo, &n, a.data(), &n, result.values.data(), work.data(), &lwork, iwork.data(), &liwork,
                &info, 1, 1);
    }
    if (info != 0)
        throw PluginError(GENHOST_ERROR_NUMERIC, "symmetric eigendecomposition of a " + std::to_string(d) + "x" +
                                                     std::to_string(d) + " matrix failed (LAPACK dsyevd info " +
                                                     std::to_string(info) + ")");
    // Column-major eigenvectors, read row-major: row k is eigenvector k.
    if (with_vectors) result.vectors = std::move(a);
    return result;
}

std::vector<double> psd_sqrt(const std::vector<double>& a, int64_t d) {
    SymmetricEigen e = symmetric_eigen(a, d);
    // sqrt(A) = Q^T Q with row k of Q = lambda_k^(1/4) v_k.
    std::vector<double>& q = e.vectors;
    for (int64_t k = 0; k < d; ++k) {
        const double s = std::sqrt(std::sqrt(std::max(e.values[k], 0.0)));
        for (int64_t i = 0; i < d; ++i) q[k * d + i] *= s;
    }
    std::vector<double> root(static_cast<size_t>(d * d));
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(d), static_cast<int>(d), 1.0, q.data(),
                static_cast<int>(d), 0.0, root.data(), static_cast<int>(d));
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = 0; j < i; ++j) root[i * d + j] = root[j * d + i];
    return root;
}

double trace_sqrt_product(const std::vector<double>& s1, const std::vector<double>& s2, int64_t d) {
    const std::vector<double> root = psd_sqrt(s1, d);
    const int n = static_cast<int>(d);
    std::vector<double> t(static_cast<size_t>(d * d)), m(t.size());
    cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, n, n, 1.0, root.data(), n, s2.data(), n, 0.0, t.data(), n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, t.data(), n, root.data(), n, 0.0, m.data(), n);
    for (int64_t i = 0; i < d; ++i)  // exactly symmetric, as LAPACK assumes
        for (int64_t j = 0; j < i; ++j) m[j * d + i] = m[i * d + j] = 0.5 * (m[i * d + j] + m[j * d + i]);
    double trace = 0;
    for (double lambda : symmetric_eigen(std::move(m), d, false).values) trace += std::sqrt(std::max(lambda, 0.0));
    return trace;
}

}  // namespace genhost::metrics
