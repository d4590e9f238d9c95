// Reductions (sum, mean, var over axes) and their adjoints: expand (broadcast) and
// sum_to (un-broadcast). sum's backward is expand and expand's is sum_to, so the pair is
// differentiable to any order.
#include <algorithm>
#include <set>

#include "kernels.hpp"
#include "simd/row_kernels.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

std::vector<bool> reduced_mask(const char* op, const Shape& shape, const std::vector<int64_t>& dims) {
    std::vector<bool> m(shape.size(), dims.empty());
    for (int64_t d : dims) m[normalize_dim(op, d, static_cast<int64_t>(shape.size()))] = true;
    return m;
}

// Sums x over the masked dims into a tensor of the keepdim shape. Accumulates in double
// (contiguous runs in float blocks of 2048 first) so that long sums stay within float
// tolerance of torch's pairwise sums.
Tensor reduce_sum(const Tensor& x, const std::vector<bool>& mask) {
    Shape keep = x.shape();
    for (size_t d = 0; d < keep.size(); ++d) if (mask[d]) keep[d] = 1;
    Tensor out = Tensor::empty(keep);
    std::vector<double> acc(out.numel(), 0.0);
    if (x.numel() > 0) {
        BroadcastPlan p = plan_broadcast(x.shape(), x.shape(), keep);  // sa: x, sb: out
        const float* px = x.data();
        const int64_t nd = static_cast<int64_t>(p.shape.size());
        if (nd == 0) {
            acc[0] = px[0];
        } else {
            const int64_t n = p.shape[nd - 1], sb = p.sb[nd - 1];
            const auto sum_kernel = simd::row_kernels().sum;
            constexpr int64_t kBlock = 2048;
            int64_t outer = x.numel() / n, ob = 0;
            std::vector<int64_t> idx(nd, 0);
            for (int64_t o = 0; o < outer; ++o) {
                const float* row = px + o * n;
                if (sb == 0) {
                    // Float vector sums of short blocks, added in double.
                    double s = 0;
                    for (int64_t i = 0; i < n; i += kBlock) s += sum_kernel(row + i, std::min(kBlock, n - i));
                    acc[ob] += s;
                } else {
                    double* dst = acc.data() + ob;
                    for (int64_t i = 0; i < n; ++i) dst[i] += row[i];
                }
                for (int64_t d = nd - 2; d >= 0; --d) {
                    ob += p.sb[d];
                    if (++idx[d] < p.shape[d]) break;
                    ob -= p.sb[d] * p.shape[d];
                    idx[d] = 0;
                }
            }
        }
    }
    float* po = out.data();
    for (int64_t i = 0; i < out.numel(); ++i) po[i] = static_cast<float>(acc[i]);
    return out;
}

Shape drop_masked(const Shape& s, const std::vector<bool>& mask) {
    Shape r;
    for (size_t d = 0; d < s.size(); ++d) if (!mask[d]) r.push_back(s[d]);
    return r;
}

}  // namespace

Tensor expand(const Tensor& x, const Shape& shape) {
    Shape b = broadcast_shapes("expand", x.shape(), shape);
    if (b != shape) shape_error(shapes_message("expand", x.shape(), shape, "(cannot expand the first to the second)"));
    if (x.shape() == shape) return x;
    Tensor out = Tensor::empty(shape);
    if (out.numel() > 0) {
        BroadcastPlan p = plan_broadcast(shape, x.shape(), Shape{});
        for_each_broadcast(p, out.data(), x.data(), x.data(), [](float* po, const float* a, const float*, int64_t n, int64_t sa, int64_t) {
            if (sa == 0) { float v = *a; for (int64_t i = 0; i < n; ++i) po[i] = v; }
            else for (int64_t i = 0; i < n; ++i) po[i] = a[i * sa];
        });
    }
    return record("expand", out, {x}, [s = x.shape()](const Tensor& g) { return std::vector<Tensor>{sum_to(g, s)}; });
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
    if (x.shape() == shape) return x;
    Shape b = broadcast_shapes("sum_to", shape, x.shape());
    if (b != x.shape()) shape_error(shapes_message("sum_to", x.shape(), shape, "(the second does not broadcast to the first)"));
    std::vector<bool> mask(x.dim(), false);
    size_t lead = x.shape().size() - shape.size();
    for (size_t d = 0; d < x.shape().size(); ++d)
        mask[d] = d < lead || (shape[d - lead] == 1 && x.shape()[d] != 1);
    Tensor out = reduce_sum(x, mask);
    out.impl()->shape = shape;  // drop the leading ones: same numel, same layout
    return record("sum_to", out, {x}, [s = x.shape()](const Tensor& g) { return std::vector<Tensor>{expand(g, s)}; });
}

Tensor sum(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
    std::vector<bool> mask = reduced_mask("sum", x.shape(), dims);
    Tensor out = reduce_sum(x, mask);
    Shape keep = out.shape();
    if (!keepdim) out.impl()->shape = drop_masked(x.shape(), mask);
    return record("sum", out, {x}, [keep, s = x.shape()](const Tensor& g) {
        return std::vector<Tensor>{expand(reshape(g, keep), s)};
    });
}

Tensor mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
    std::vector<bool> mask = reduced_mask("mean", x.shape(), dims);
    int64_t count = 1;
    for (size_t d = 0; d < mask.size(); ++d) if (mask[d]) count *= x.shape()[d];
    return sum(x, dims, keepdim) * (1.0f / static_cast<float>(count));
}

Tensor var(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim, bool unbiased) {
    std::vector<bool> mask = reduced_mask("var", x.shape(), dims);
    int64_t count = 1;
    for (size_t d = 0; d < mask.size(); ++d) if (mask[d]) count *= x.shape()[d];
    Tensor centred = x - mean(x, dims, true);
    float denom = static_cast<float>(unbiased ? count - 1 : count);
    return sum(square(centred), dims, keepdim) * (1.0f / denom);
}

}  // namespace genhost::engine
