// Shape ops: reshape (a view), permute/transpose, slice, concat, split. Each backward
// is another shape op, so all are differentiable to any order.
#include <cstring>
#include <numeric>

#include "kernels.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

// The op that scatters g into zeros of x's shape at a slice: the adjoint of slice.
Tensor slice_scatter(const Tensor& g, const Shape& full, int64_t dim, int64_t start, int64_t step);

// Copies the slice [start, start+step*count) of dim from src into dst (or back: scatter).
void copy_slice(const float* src, const Shape& src_shape, float* dst, int64_t dim, int64_t start,
                int64_t step, int64_t count, bool scatter) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < dim; ++d) outer *= src_shape[d];
    for (size_t d = dim + 1; d < src_shape.size(); ++d) inner *= src_shape[d];
    int64_t len = src_shape[dim];
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t k = 0; k < count; ++k) {
            const int64_t full_off = (o * len + start + k * step) * inner;
            const int64_t part_off = (o * count + k) * inner;
            if (scatter) std::memcpy(const_cast<float*>(src) + full_off, dst + part_off, inner * sizeof(float));
            else std::memcpy(dst + part_off, src + full_off, inner * sizeof(float));
        }
}

Tensor slice_scatter(const Tensor& g, const Shape& full, int64_t dim, int64_t start, int64_t step) {
    Tensor out = Tensor::zeros(full);
    copy_slice(out.data(), full, const_cast<float*>(g.data()), dim, start, step, g.shape()[dim], true);
    return record("slice_scatter", out, {g}, [dim, start, step, end = start + step * (g.shape()[dim] - 1) + 1](const Tensor& gg) {
        return std::vector<Tensor>{slice(gg, dim, start, end, step)};
    });
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
    Shape s = shape;
    int64_t known = 1, infer = -1;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == -1) {
            if (infer >= 0) shape_error("reshape: more than one -1 in " + shape_to_string(shape));
            infer = static_cast<int64_t>(i);
        } else if (s[i] < 0) {
            shape_error("reshape: negative size in " + shape_to_string(shape));
        } else {
            known *= s[i];
        }
    }
    if (infer >= 0) {
        if (known == 0 || x.numel() % known != 0)
            shape_error(shapes_message("reshape", x.shape(), shape, "are incompatible (element counts differ)"));
        s[infer] = x.numel() / known;
    }
    if (shape_numel(s) != x.numel())
        shape_error(shapes_message("reshape", x.shape(), shape, "are incompatible (element counts differ)"));
    if (s == x.shape()) return x;
    Tensor out = x.detach();
    out.impl()->shape = s;
    return record("reshape", out, {x}, [orig = x.shape()](const Tensor& g) {
        return std::vector<Tensor>{reshape(g, orig)};
    });
}

Tensor flatten(const Tensor& x, int64_t start_dim) {
    int64_t sd = normalize_dim("flatten", start_dim, x.dim());
    Shape s(x.shape().begin(), x.shape().begin() + sd);
    s.push_back(-1);
    if (x.numel() == 0) { s.back() = 0; }
    return reshape(x, s);
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& order) {
    const int64_t nd = x.dim();
    if (static_cast<int64_t>(order.size()) != nd)
        shape_error("permute: order of " + std::to_string(order.size()) + " dims for a tensor of shape " + x.shape_str());
    std::vector<int64_t> ord(nd), inverse(nd, -1);
    for (int64_t i = 0; i < nd; ++i) {
        ord[i] = normalize_dim("permute", order[i], nd);
        if (inverse[ord[i]] != -1) shape_error("permute: dim repeated in the order for shape " + x.shape_str());
        inverse[ord[i]] = i;
    }
    Shape os(nd);
    auto xs = contiguous_strides(x.shape());
    std::vector<int64_t> src_stride(nd);
    for (int64_t i = 0; i < nd; ++i) { os[i] = x.shape()[ord[i]]; src_stride[i] = xs[ord[i]]; }
    Tensor out = Tensor::empty(os);
    if (out.numel() > 0 && nd > 0) {
        const float* px = x.data();
        float* po = out.data();
        const int64_t n = os[nd - 1], sn = src_stride[nd - 1];
        std::vector<int64_t> idx(nd, 0);
        int64_t src = 0;
        for (int64_t o = 0; o < out.numel() / n; ++o) {
            for (int64_t i = 0; i < n; ++i) po[o * n + i] = px[src + i * sn];
            for (int64_t d = nd - 2; d >= 0; --d) {
                src += src_stride[d];
                if (++idx[d] < os[d]) break;
                src -= src_stride[d] * os[d];
                idx[d] = 0;
            }
        }
    } else if (out.numel() == 1) {
        out.data()[0] = x.data()[0];
    }
    return record("permute", out, {x}, [inverse](const Tensor& g) { return std::vector<Tensor>{permute(g, inverse)}; });
}

Tensor transpose(const Tensor& x, int64_t d0, int64_t d1) {
    std::vector<int64_t> order(x.dim());
    std::iota(order.begin(), order.end(), 0);
    std::swap(order[normalize_dim("transpose", d0, x.dim())], order[normalize_dim("transpose", d1, x.dim())]);
    return permute(x, order);
}

Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step) {
    int64_t d = normalize_dim("slice", dim, x.dim());
    int64_t len = x.shape()[d];
    if (step < 1) shape_error("slice: step must be >= 1, got " + std::to_string(step));
    if (start < 0) start += len;
    if (end < 0) end += len;
    start = std::clamp<int64_t>(start, 0, len);
    end = std::clamp<int64_t>(end, start, len);
    int64_t count = (end - start + step - 1) / step;
    Shape os = x.shape();
    os[d] = count;
    Tensor out;
    bool leading = true;  // all dims before d have size 1: the slice is contiguous
    for (int64_t k = 0; k < d; ++k) leading = leading && x.shape()[k] == 1;
    if (leading && step == 1) {
        out = x.detach();
        int64_t inner = 1;
        for (size_t k = d + 1; k < x.shape().size(); ++k) inner *= x.shape()[k];
        out.impl()->offset += start * inner;
        out.impl()->shape = os;
        out.impl()->numel = shape_numel(os);
    } else {
        out = Tensor::empty(os);
        copy_slice(x.data(), x.shape(), out.data(), d, start, step, count, false);
    }
    return record("slice", out, {x}, [full = x.shape(), d, start, step](const Tensor& g) {
        return std::vector<Tensor>{slice_scatter(g, full, d, start, step)};
    });
}

Tensor concat(const std::vector<Tensor>& xs, int64_t dim) {
    if (xs.empty()) shape_error("concat: no tensors");
    int64_t d = normalize_dim("concat", dim, xs[0].dim());
    Shape os = xs[0].shape();
    os[d] = 0;
    for (const Tensor& t : xs) {
        Shape a = t.shape(), b = xs[0].shape();
        if (a.size() != b.size()) shape_error(shapes_message("concat", b, a, "have different ranks"));
        a[d] = b[d] = 0;
        if (a != b) shape_error(shapes_message("concat", xs[0].shape(), t.shape(), ("differ outside dim " + std::to_string(d)).c_str()));
        os[d] += t.shape()[d];
    }
    Tensor out = Tensor::empty(os);
    int64_t offset = 0;
    std::vector<int64_t> starts;
    for (const Tensor& t : xs) {
        starts.push_back(offset);
        copy_slice(out.data(), os, const_cast<float*>(t.data()), d, offset, 1, t.shape()[d], true);
        offset += t.shape()[d];
    }
    std::vector<int64_t> lens;
    for (const Tensor& t : xs) lens.push_back(t.shape()[d]);
    return record("concat", out, xs, [d, starts, lens](const Tensor& g) {
        std::vector<Tensor> gs;
        for (size_t i = 0; i < starts.size(); ++i) gs.push_back(slice(g, d, starts[i], starts[i] + lens[i]));
        return gs;
    });
}

std::vector<Tensor> split(const Tensor& x, int64_t dim, const std::vector<int64_t>& sizes) {
    int64_t d = normalize_dim("split", dim, x.dim());
    int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
    if (total != x.shape()[d])
        shape_error("split: sizes add up to " + std::to_string(total) + " but dim " + std::to_string(d) +
                    " of " + x.shape_str() + " is " + std::to_string(x.shape()[d]));
    std::vector<Tensor> parts;
    int64_t start = 0;
    for (int64_t s : sizes) { parts.push_back(slice(x, d, start, start + s)); start += s; }
    return parts;
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
    int64_t d = normalize_dim("chunk", dim, x.dim());
    int64_t len = x.shape()[d];
    if (chunks < 1 || len % chunks != 0)
        shape_error("chunk: dim " + std::to_string(d) + " of " + x.shape_str() + " does not split into " +
                    std::to_string(chunks) + " equal chunks");
    return split(x, d, std::vector<int64_t>(chunks, len / chunks));
}

}  // namespace genhost::engine
