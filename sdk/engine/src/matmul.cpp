// Matrix products on OpenBLAS (through gemm(), kernels.hpp). One internal op, mm(a, b, ta, tb) =
// op(a) @ op(b), whose backward is again mm with other transpose flags, so that matmul
// and linear are differentiable to any order without materialising transposes.
#include <cblas.h>
#include <omp.h>

#include "kernels.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

// alpha * op(a) @ op(b): a [B?, M, K] (or [B?, K, M] if ta), b [B?, K, N] (or [B?, N, K]
// if tb); both 2-D or both 3-D.
Tensor mm(const Tensor& a, const Tensor& b, bool ta, bool tb, float alpha = 1.0f) {
    const bool batched = a.dim() == 3;
    const int64_t B = batched ? a.size(0) : 1;
    const int64_t ar = a.size(-2), ac = a.size(-1), br = b.size(-2), bc = b.size(-1);
    const int64_t M = ta ? ac : ar, K = ta ? ar : ac, K2 = tb ? bc : br, N = tb ? br : bc;
    if (K != K2 || a.dim() != b.dim() || (batched && b.size(0) != B))
        shape_error(shapes_message("matmul", a.shape(), b.shape(), "do not multiply (inner dims differ)"));
    Tensor out = Tensor::empty(batched ? Shape{B, M, N} : Shape{M, N});
    const float* pa = a.data();
    const float* pb = b.data();
    float* pc = out.data();
    if (B == 1 || K == 0) {
        if (K == 0) std::fill_n(pc, B * M * N, 0.0f);
        else gemm(ta, tb, M, N, K, alpha, pa, ac, pb, bc, 0.0f, pc, N);
    } else {  // many small products (attention): spread over the engine's threads
        const int threads = static_cast<int>(std::min<int64_t>(engine_threads(), B));
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4) if (threads > 1)
        for (int64_t i = 0; i < B; ++i)
            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                        M, N, K, alpha, pa + i * ar * ac, ac, pb + i * br * bc, bc, 0.0f, pc + i * M * N, N);
    }
    return record("mm", out, {a, b}, [a, b, ta, tb, alpha](const Tensor& g) {
        Tensor ga, gb;
        if (a.requires_grad()) ga = ta ? (tb ? mm(b, g, true, true, alpha) : mm(b, g, false, true, alpha))
                                       : (tb ? mm(g, b, false, false, alpha) : mm(g, b, false, true, alpha));
        if (b.requires_grad()) gb = tb ? (ta ? mm(g, a, true, true, alpha) : mm(g, a, true, false, alpha))
                                       : (ta ? mm(a, g, false, false, alpha) : mm(a, g, true, false, alpha));
        return std::vector<Tensor>{ga, gb};
    });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    if (a.dim() < 2 || b.dim() < 2)
        shape_error(shapes_message("matmul", a.shape(), b.shape(), "must both be at least 2-d"));
    if (a.size(-1) != b.size(-2))
        shape_error(shapes_message("matmul", a.shape(), b.shape(), "do not multiply (inner dims differ)"));
    Shape out(a.shape().begin(), a.shape().end() - 1);
    out.push_back(b.size(-1));
    if (b.dim() == 2) {  // fold a's batch into rows: one big GEMM
        Tensor r = mm(reshape(a, {-1, a.size(-1)}), b, false, false);
        return reshape(r, out);
    }
    if (!std::equal(a.shape().begin(), a.shape().end() - 2, b.shape().begin(), b.shape().end() - 2) || a.dim() != b.dim())
        shape_error(shapes_message("matmul", a.shape(), b.shape(), "have different batch dims"));
    Tensor r = mm(reshape(a, {-1, a.size(-2), a.size(-1)}), reshape(b, {-1, b.size(-2), b.size(-1)}), false, false);
    return reshape(r, out);
}

// Internal: alpha * a @ b^T without copying b's transpose (attention).
Tensor matmul_nt(const Tensor& a, const Tensor& b, float alpha) {
    Shape out(a.shape().begin(), a.shape().end() - 1);
    out.push_back(b.size(-2));
    if (a.dim() < 2 || b.dim() != a.dim() || a.size(-1) != b.size(-1))
        shape_error(shapes_message("matmul_nt", a.shape(), b.shape(), "do not multiply as a @ b^T"));
    if (a.dim() == 2) return mm(a, b, false, true, alpha);
    Tensor r = mm(reshape(a, {-1, a.size(-2), a.size(-1)}), reshape(b, {-1, b.size(-2), b.size(-1)}), false, true, alpha);
    return reshape(r, out);
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    if (weight.dim() != 2 || x.dim() < 1 || x.size(-1) != weight.size(1))
        shape_error(shapes_message("linear", x.shape(), weight.shape(),
                                   "(input, weight [out, in]) do not match: input's last dim must equal in"));
    if (bias.defined() && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
        shape_error(shapes_message("linear", weight.shape(), bias.shape(), "(weight, bias) do not match: bias must be [out]"));
    Shape out(x.shape().begin(), x.shape().end() - 1);
    out.push_back(weight.size(0));
    Tensor y = mm(reshape(x, {-1, x.size(-1)}), weight, false, true);
    if (bias.defined()) y = y + bias;
    return reshape(y, out);
}

}  // namespace genhost::engine
