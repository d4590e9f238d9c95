// The engine's one GEMM entry point. OpenBLAS always runs single-threaded; a large
// product is split into column (or row) blocks over the engine's OpenMP threads. So
// there is one thread pool, never an OpenBLAS pool and an OpenMP pool competing for
// the same cores (OpenBLAS's pthreads spin for a while after each call, which stole
// the core from the next elementwise loop and doubled its time under load).
#include <cblas.h>

#include "kernels.hpp"

namespace genhost::engine {

void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    auto call = [&](int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
        const float* a = ta ? A + m0 : A + m0 * lda;
        const float* b = tb ? B + n0 * ldb : B + n0;
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    m1 - m0, n1 - n0, K, alpha, a, lda, b, ldb, beta, C + m0 * ldc + n0, ldc);
    };
    const int64_t threads = engine_threads();
    const double flops = 2.0 * M * N * K;
    if (threads <= 1 || flops < 4e6) { call(0, M, 0, N); return; }
    // Blocks of at least 64 columns (or rows), several per thread for balance.
    const bool split_n = N >= M;
    const int64_t len = split_n ? N : M;
    const int64_t blocks = std::max<int64_t>(1, std::min<int64_t>(threads * 4, len / 64));
    if (blocks == 1) { call(0, M, 0, N); return; }
#pragma omp parallel for num_threads(static_cast<int>(threads)) schedule(dynamic, 1)
    for (int64_t i = 0; i < blocks; ++i) {
        const int64_t lo = len * i / blocks, hi = len * (i + 1) / blocks;
        if (split_n) call(0, M, lo, hi);
        else call(lo, hi, 0, N);
    }
}

}  // namespace genhost::engine
