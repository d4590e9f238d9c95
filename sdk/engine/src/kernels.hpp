// Loop helpers shared by the op files: broadcasting iteration and parallel-for.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "internal.hpp"

namespace genhost::engine {

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// Whether OpenBLAS's kernels give an element of a product the same bits whatever the
// product's width and the element's place in it (probed once, gemm.cpp). When not, the
// engine keeps results independent of thread count and batch composition by giving
// every sample its own product of one fixed shape (conv.cpp) and splitting by shape alone.
bool blas_position_invariant();

// Row-major C = alpha op(A) op(B) + beta C on the engine's threads (gemm.cpp). Call it
// from outside parallel regions; inside one, call cblas_sgemm directly (single-threaded).
void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

// Strides of `in` seen as a tensor of shape `out` (0 along broadcast dims), with
// adjacent dims merged where both operands allow, so that the inner loop is long.
struct BroadcastPlan {
    std::vector<int64_t> shape, sa, sb;  // coalesced; innermost last
};
BroadcastPlan plan_broadcast(const Shape& out, const Shape& a, const Shape& b);

// f(out_ptr, a_ptr, b_ptr, n, stride_a, stride_b) over the innermost dimension.
template <class Inner>
void for_each_broadcast(const BroadcastPlan& p, float* out, const float* a, const float* b, Inner inner) {
    const int64_t nd = static_cast<int64_t>(p.shape.size());
    if (nd == 0) { inner(out, a, b, 1, 0, 0); return; }
    const int64_t n = p.shape[nd - 1], sa = p.sa[nd - 1], sb = p.sb[nd - 1];
    int64_t outer = 1;
    for (int64_t d = 0; d < nd - 1; ++d) outer *= p.shape[d];
    std::vector<int64_t> idx(nd, 0);
    int64_t oa = 0, ob = 0;
    for (int64_t o = 0; o < outer; ++o) {
        inner(out + o * n, a + oa, b + ob, n, sa, sb);
        for (int64_t d = nd - 2; d >= 0; --d) {  // odometer over the outer dims
            oa += p.sa[d]; ob += p.sb[d];
            if (++idx[d] < p.shape[d]) break;
            oa -= p.sa[d] * p.shape[d]; ob -= p.sb[d] * p.shape[d];
            idx[d] = 0;
        }
    }
}

// Runs f(lo, hi) over [0, n) on up to engine_threads() threads, in pieces of at least
// `grain`. Pieces are several per thread and handed out dynamically: on a shared machine
// one thread may lose its core for a time slice, and the others then take its work
// instead of waiting for it at the barrier.
template <class F>
void parallel_for(int64_t n, int64_t grain, F f) {
    grain = std::max<int64_t>(grain, 1);
    const int64_t threads = std::min<int64_t>(engine_threads(), std::max<int64_t>(1, n / grain));
    if (threads <= 1) { f(int64_t(0), n); return; }
    const int64_t pieces = std::min<int64_t>(threads * 8, std::max<int64_t>(1, n / grain));
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t t = 0; t < pieces; ++t) f(n * t / pieces, n * (t + 1) / pieces);
}

// Threads for `items` independent pieces of work: the engine's, at most one per item.
inline int threads_for(int64_t items) {
    return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(engine_threads(), items)));
}

// f(item, thread) for item in [0, n) on `threads` threads (from threads_for), handed out
// one by one as in parallel_for; `thread` in [0, threads) indexes per-thread scratch.
template <class F>
void for_each_item(int64_t n, int threads, F f) {
    if (threads <= 1) { for (int64_t i = 0; i < n; ++i) f(i, 0); return; }
#pragma omp parallel for num_threads(threads) schedule(dynamic)
    for (int64_t i = 0; i < n; ++i) f(i, omp_get_thread_num());
}

}  // namespace genhost::engine
