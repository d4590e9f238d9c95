// softmax and log_softmax over one dim, computed stably (max subtracted) in one kernel.
#include <cmath>

#include "kernels.hpp"
#include "vmath.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

struct Layout { int64_t outer, len, inner; };
Layout layout_of(const Shape& s, int64_t d) {
    Layout l{1, s[d], 1};
    for (int64_t k = 0; k < d; ++k) l.outer *= s[k];
    for (size_t k = d + 1; k < s.size(); ++k) l.inner *= s[k];
    return l;
}

// For each (outer, inner) line along the dim: y = x - max - log(sum(exp(x - max))) (log)
// or exp of it.
Tensor softmax_kernel(const Tensor& x, int64_t d, bool log_space) {
    Tensor out = Tensor::empty(x.shape());
    Layout l = layout_of(x.shape(), d);
    const float* px = x.data();
    float* po = out.data();
    parallel_for(l.outer, std::max<int64_t>(1, 4096 / std::max<int64_t>(1, l.len * l.inner)), [&](int64_t lo, int64_t hi) {
        std::vector<float> mx(l.inner), sm(l.inner), scratch(l.inner == 1 ? l.len : l.inner);
        for (int64_t o = lo; o < hi; ++o) {
            const float* xb = px + o * l.len * l.inner;
            float* ob = po + o * l.len * l.inner;
            if (l.inner == 1) {  // along the last dim (attention, classifiers): vectorised exp
                float m = -INFINITY;
                for (int64_t k = 0; k < l.len; ++k) m = std::max(m, xb[k]);
                for (int64_t k = 0; k < l.len; ++k) ob[k] = xb[k] - m;
                float* e = log_space ? scratch.data() : ob;
                if (log_space) std::copy(ob, ob + l.len, e);
                vmath::exp_inplace_serial(e, l.len);
                float sum = 0;
                for (int64_t k = 0; k < l.len; ++k) sum += e[k];
                if (log_space) {
                    const float ls = std::log(sum);
                    for (int64_t k = 0; k < l.len; ++k) ob[k] -= ls;
                } else {
                    const float inv = 1.0f / sum;
                    for (int64_t k = 0; k < l.len; ++k) ob[k] *= inv;
                }
                continue;
            }
            std::fill(mx.begin(), mx.end(), -INFINITY);
            std::fill(sm.begin(), sm.end(), 0.0f);
            for (int64_t k = 0; k < l.len; ++k)
                for (int64_t i = 0; i < l.inner; ++i) mx[i] = std::max(mx[i], xb[k * l.inner + i]);
            float* e = scratch.data();
            for (int64_t k = 0; k < l.len; ++k) {  // a row of `inner` at a time: vectorised exp
                for (int64_t i = 0; i < l.inner; ++i) e[i] = xb[k * l.inner + i] - mx[i];
                vmath::exp_inplace_serial(e, l.inner);
                for (int64_t i = 0; i < l.inner; ++i) sm[i] += e[i];
                if (!log_space) std::copy(e, e + l.inner, ob + k * l.inner);
            }
            if (log_space) {
                for (int64_t i = 0; i < l.inner; ++i) sm[i] = mx[i] + std::log(sm[i]);
                for (int64_t k = 0; k < l.len; ++k)
                    for (int64_t i = 0; i < l.inner; ++i) ob[k * l.inner + i] = xb[k * l.inner + i] - sm[i];
            } else {
                for (int64_t i = 0; i < l.inner; ++i) sm[i] = 1.0f / sm[i];
                for (int64_t k = 0; k < l.len; ++k)
                    for (int64_t i = 0; i < l.inner; ++i) ob[k * l.inner + i] *= sm[i];
            }
        }
    });
    return out;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim) {
    int64_t d = normalize_dim("softmax", dim, x.dim());
    Tensor out = softmax_kernel(x, d, false);
    return record("softmax", out, {x}, [x, d, y = out.detach()](const Tensor& g) {
        if (grad_enabled()) {  // create_graph: the same formula, recorded
            Tensor s = softmax(x, d);
            return std::vector<Tensor>{s * (g - sum(g * s, {d}, true))};
        }
        // dx = y * (g - sum(g * y)) along the dim, in one pass per line.
        Tensor dx = Tensor::empty(x.shape());
        Layout l = layout_of(x.shape(), d);
        const float* py = y.data();
        const float* pg = g.data();
        float* pd = dx.data();
        parallel_for(l.outer, std::max<int64_t>(1, 4096 / std::max<int64_t>(1, l.len * l.inner)), [&](int64_t lo, int64_t hi) {
            std::vector<float> dot(l.inner);
            for (int64_t o = lo; o < hi; ++o) {
                const int64_t base = o * l.len * l.inner;
                std::fill(dot.begin(), dot.end(), 0.0f);
                for (int64_t k = 0; k < l.len; ++k)
                    for (int64_t i = 0; i < l.inner; ++i) dot[i] += pg[base + k * l.inner + i] * py[base + k * l.inner + i];
                for (int64_t k = 0; k < l.len; ++k)
                    for (int64_t i = 0; i < l.inner; ++i) {
                        const int64_t j = base + k * l.inner + i;
                        pd[j] = py[j] * (pg[j] - dot[i]);
                    }
            }
        });
        return std::vector<Tensor>{dx};
    });
}

Tensor log_softmax(const Tensor& x, int64_t dim) {
    int64_t d = normalize_dim("log_softmax", dim, x.dim());
    Tensor out = softmax_kernel(x, d, true);
    return record("log_softmax", out, {x}, [x, d, y = out.detach()](const Tensor& g) {
        Tensor s = grad_enabled() ? softmax(x, d) : exp(y);
        return std::vector<Tensor>{g - s * sum(g, {d}, true)};
    });
}

}  // namespace genhost::engine
