// Elementwise arithmetic with broadcasting: add, sub, mul, div and their scalar forms.
// Each backward is written with differentiable ops (sum_to reverses broadcasting), so
// these support create_graph (double backward).
#include <cmath>

#include "kernels.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
    size_t nd = std::max(a.size(), b.size());
    Shape out(nd);
    for (size_t i = 0; i < nd; ++i) {
        int64_t da = i < nd - a.size() ? 1 : a[i - (nd - a.size())];
        int64_t db = i < nd - b.size() ? 1 : b[i - (nd - b.size())];
        if (da != db && da != 1 && db != 1) shape_error(shapes_message(op, a, b, "do not broadcast"));
        out[i] = da == 1 ? db : da;
    }
    return out;
}

static std::vector<int64_t> aligned_strides(const Shape& in, const Shape& out) {
    std::vector<int64_t> st(out.size(), 0);
    auto cs = contiguous_strides(in);
    size_t off = out.size() - in.size();
    for (size_t i = 0; i < in.size(); ++i) st[off + i] = in[i] == 1 ? 0 : cs[i];
    return st;
}

BroadcastPlan plan_broadcast(const Shape& out, const Shape& a, const Shape& b) {
    auto sa = aligned_strides(a, out), sb = aligned_strides(b, out);
    BroadcastPlan p;
    for (size_t d = 0; d < out.size(); ++d) {
        if (out[d] == 1) continue;  // size-1 dims contribute nothing
        if (!p.shape.empty() && p.sa.back() == sa[d] * out[d] && p.sb.back() == sb[d] * out[d]) {
            p.shape.back() *= out[d];  // merge with the previous (outer) dim
            p.sa.back() = sa[d];
            p.sb.back() = sb[d];
        } else {
            p.shape.push_back(out[d]);
            p.sa.push_back(sa[d]);
            p.sb.push_back(sb[d]);
        }
    }
    return p;
}

namespace {

template <class F>
Tensor binary(const char* op, const Tensor& a, const Tensor& b, F f) {
    Shape shape = a.shape() == b.shape() ? a.shape() : broadcast_shapes(op, a.shape(), b.shape());
    Tensor out = Tensor::empty(shape);
    float* o = out.data();
    const float* pa = a.data();
    const float* pb = b.data();
    const int64_t n = out.numel();
    if (a.numel() == n && b.numel() == n) {
        parallel_for(n, 1 << 16, [&](int64_t lo, int64_t hi) {
            for (int64_t i = lo; i < hi; ++i) o[i] = f(pa[i], pb[i]);
        });
        return out;
    }
    BroadcastPlan plan = plan_broadcast(shape, a.shape(), b.shape());
    for_each_broadcast(plan, o, pa, pb, [&](float* po, const float* x, const float* y, int64_t m, int64_t sx, int64_t sy) {
        if (sx == 1 && sy == 0) { float v = *y; for (int64_t i = 0; i < m; ++i) po[i] = f(x[i], v); }
        else if (sx == 0 && sy == 1) { float v = *x; for (int64_t i = 0; i < m; ++i) po[i] = f(v, y[i]); }
        else for (int64_t i = 0; i < m; ++i) po[i] = f(x[i * sx], y[i * sy]);
    });
    return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor out = binary("add", a, b, [](float x, float y) { return x + y; });
    return record("add", out, {a, b}, [sa = a.shape(), sb = b.shape()](const Tensor& g) {
        return std::vector<Tensor>{sum_to(g, sa), sum_to(g, sb)};
    });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor out = binary("sub", a, b, [](float x, float y) { return x - y; });
    return record("sub", out, {a, b}, [sa = a.shape(), sb = b.shape(), nb = b.requires_grad()](const Tensor& g) {
        return std::vector<Tensor>{sum_to(g, sa), nb ? sum_to(neg(g), sb) : Tensor()};
    });
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = binary("mul", a, b, [](float x, float y) { return x * y; });
    return record("mul", out, {a, b}, [a, b](const Tensor& g) {
        return std::vector<Tensor>{a.requires_grad() ? sum_to(g * b, a.shape()) : Tensor(),
                                   b.requires_grad() ? sum_to(g * a, b.shape()) : Tensor()};
    });
}

Tensor div(const Tensor& a, const Tensor& b) {
    Tensor out = binary("div", a, b, [](float x, float y) { return x / y; });
    return record("div", out, {a, b}, [a, b](const Tensor& g) {
        return std::vector<Tensor>{a.requires_grad() ? sum_to(g / b, a.shape()) : Tensor(),
                                   b.requires_grad() ? sum_to(neg(g * a) / (b * b), b.shape()) : Tensor()};
    });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, float b) { return add(a, Tensor::scalar(b)); }
Tensor operator-(const Tensor& a, float b) { return sub(a, Tensor::scalar(b)); }
Tensor operator*(const Tensor& a, float b) { return mul(a, Tensor::scalar(b)); }
Tensor operator/(const Tensor& a, float b) { return mul(a, Tensor::scalar(1.0f / b)); }
Tensor operator+(float a, const Tensor& b) { return add(Tensor::scalar(a), b); }
Tensor operator-(float a, const Tensor& b) { return sub(Tensor::scalar(a), b); }
Tensor operator*(float a, const Tensor& b) { return mul(Tensor::scalar(a), b); }
Tensor operator/(float a, const Tensor& b) { return div(Tensor::scalar(a), b); }
Tensor operator-(const Tensor& a) { return neg(a); }

Tensor neg(const Tensor& x) {
    Tensor out = Tensor::empty(x.shape());
    const float* px = x.data();
    float* po = out.data();
    for (int64_t i = 0; i < x.numel(); ++i) po[i] = -px[i];
    return record("neg", out, {x}, [](const Tensor& g) { return std::vector<Tensor>{neg(g)}; });
}

}  // namespace genhost::engine
