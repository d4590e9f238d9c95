// The engine's one GEMM entry point. OpenBLAS always runs single-threaded; a large
// product is split into column (or row) blocks over the engine's OpenMP threads. So
// there is one thread pool, never an OpenBLAS pool and an OpenMP pool competing for
// the same cores (OpenBLAS's pthreads spin for a while after each call, which stole
// the core from the next elementwise loop and doubled its time under load).
#include <cblas.h>

#include <utility>
#include <vector>

#include "kernels.hpp"

namespace genhost::engine {

namespace {

// Fills with fixed values in [-1, 1), so the probe is the same on every run.
std::vector<float> probe_values(int64_t n, uint32_t seed) {
    std::vector<float> v(n);
    for (float& x : v) {
        seed = seed * 1664525u + 1013904223u;
        x = static_cast<float>(seed >> 8) / 8388608.0f - 1.0f;
    }
    return v;
}

// Whether one output column of C = W X comes out with the same bits wherever it sits in
// X and however wide X is. OpenBLAS's SkylakeX kernels do; its AVX2 ones (Haswell, Zen)
// do not: the rounding changes with the product's width and the column's place in it.
bool probe_position_invariance() {
    const int64_t O = 16, K = 144, L = 196;
    const std::vector<float> w = probe_values(O * K, 1), x = probe_values(K * L, 2);
    std::vector<float> first;
    for (const auto& [width, at] : {std::pair<int64_t, int64_t>{L, 0}, {3 * L, L}, {3 * L + 60, 2 * L}, {5 * L, 0}}) {
        std::vector<float> col(K * width, 0.0f), out(O * width);
        for (int64_t k = 0; k < K; ++k) std::copy(x.begin() + k * L, x.begin() + (k + 1) * L, col.begin() + k * width + at);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, O, width, K, 1.0f, w.data(), K, col.data(), width, 0.0f,
                    out.data(), width);
        std::vector<float> y;
        for (int64_t o = 0; o < O; ++o) y.insert(y.end(), out.begin() + o * width + at, out.begin() + o * width + at + L);
        if (first.empty()) first = y;
        else if (y != first) return false;
    }
    return true;
}

}  // namespace

bool blas_position_invariant() {
    static const bool invariant = probe_position_invariance();
    return invariant;
}

void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    auto call = [&](int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
        const float* a = ta ? A + m0 : A + m0 * lda;
        const float* b = tb ? B + n0 * ldb : B + n0;
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    m1 - m0, n1 - n0, K, alpha, a, lda, b, ldb, beta, C + m0 * ldc + n0, ldc);
    };
    const double flops = 2.0 * M * N * K;
    const int64_t threads = flops < 4e6 ? 1 : engine_threads();
    const bool split_n = N >= M;
    const int64_t len = split_n ? N : M;
    // Blocks of at least 64 columns (or rows), several per thread for balance. With kernels
    // whose rounding depends on a column's place (blas_position_invariant), the blocks
    // depend on the shape alone, so that the result does not change with --threads.
    // (Position-invariant kernels on one thread: one call, as before the probe existed.)
    const int64_t blocks = blas_position_invariant()
                               ? (threads <= 1 ? 1 : std::max<int64_t>(1, std::min<int64_t>(threads * 4, len / 64)))
                               : (flops < 4e6 ? 1 : std::max<int64_t>(1, std::min<int64_t>(8, len / 64)));
    if (blocks == 1) { call(0, M, 0, N); return; }
#pragma omp parallel for num_threads(static_cast<int>(std::min(threads, blocks))) schedule(dynamic, 1)
    for (int64_t i = 0; i < blocks; ++i) {
        const int64_t lo = len * i / blocks, hi = len * (i + 1) / blocks;
        if (split_n) call(0, M, lo, hi);
        else call(lo, hi, 0, N);
    }
}

}  // namespace genhost::engine
