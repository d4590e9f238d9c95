// Unary math and activations. Forward is one loop; backward multiplies the incoming
// gradient by the derivative in one fused loop. Under create_graph the backward is
// instead written with differentiable ops (exact, not approximated), except for gelu.
#include <cmath>

#include "kernels.hpp"
#include "vmath.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

template <class F>
Tensor map(const Tensor& x, F f) {
    Tensor out = Tensor::empty(x.shape());
    const float* px = x.data();
    float* po = out.data();
    parallel_for(x.numel(), 1 << 15, [&, f](int64_t lo, int64_t hi) {
        // f by value: its captures (leaky_relu's slope) are then locals the output cannot
        // alias, and the loop vectorises (by reference it ran scalar, 50x slower).
        for (int64_t i = lo; i < hi; ++i) po[i] = f(px[i]);
    });
    return out;
}

// y = f(x) by a vectorised kernel from vmath.
Tensor vmap(const Tensor& x, void (*kernel)(const float*, float*, int64_t)) {
    Tensor out = Tensor::empty(x.shape());
    kernel(x.data(), out.data(), x.numel());
    return out;
}

// g * d(x) in one pass, d the derivative as a function of the input.
template <class D>
Tensor grad_times(const Tensor& g, const Tensor& x, D d) {
    Tensor out = Tensor::empty(x.shape());
    const float* pg = g.data();
    const float* px = x.data();
    float* po = out.data();
    parallel_for(x.numel(), 1 << 15, [&, d](int64_t lo, int64_t hi) {  // d by value, as in map
        for (int64_t i = lo; i < hi; ++i) po[i] = pg[i] * d(px[i]);
    });
    return out;
}

// For piecewise-linear functions the derivative is a constant mask: g * mask is exact
// to any order (differentiable in g, zero second derivative in x).
template <class D>
Tensor piecewise_grad(const Tensor& g, const Tensor& x, D d) {
    if (grad_enabled() && g.requires_grad()) return g * map(x.detach(), d);
    return grad_times(g, x, d);
}

bool recording_backward() { return grad_enabled(); }  // true only under create_graph

}  // namespace

Tensor exp(const Tensor& x) {
    Tensor out = vmap(x, vmath::exp);
    return record("exp", out, {x}, [x, y = out.detach()](const Tensor& g) {
        return std::vector<Tensor>{recording_backward() ? g * exp(x) : g * y};
    });
}

Tensor log(const Tensor& x) {
    Tensor out = vmap(x, vmath::log);
    return record("log", out, {x}, [x](const Tensor& g) { return std::vector<Tensor>{g / x}; });
}

Tensor sqrt(const Tensor& x) {
    Tensor out = map(x, [](float v) { return std::sqrt(v); });
    return record("sqrt", out, {x}, [x, y = out.detach()](const Tensor& g) {
        return std::vector<Tensor>{recording_backward() ? g / (2.0f * sqrt(x)) : g / (2.0f * y)};
    });
}

Tensor pow(const Tensor& x, float p) {
    Tensor out = map(x, [p](float v) { return std::pow(v, p); });
    return record("pow", out, {x}, [x, p](const Tensor& g) {
        if (p == 0.0f) return std::vector<Tensor>{Tensor::zeros(x.shape())};
        if (p == 1.0f) return std::vector<Tensor>{g};
        if (p == 2.0f) return std::vector<Tensor>{g * (2.0f * x)};
        return std::vector<Tensor>{g * (p * pow(x, p - 1.0f))};
    });
}

Tensor square(const Tensor& x) {
    Tensor out = map(x, [](float v) { return v * v; });
    return record("square", out, {x}, [x](const Tensor& g) { return std::vector<Tensor>{g * (2.0f * x)}; });
}

Tensor abs(const Tensor& x) {
    Tensor out = map(x, [](float v) { return std::fabs(v); });
    return record("abs", out, {x}, [x](const Tensor& g) {
        return std::vector<Tensor>{piecewise_grad(g, x, [](float v) { return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f); })};
    });
}

Tensor clamp(const Tensor& x, float lo, float hi) {
    Tensor out = map(x, [lo, hi](float v) { return std::min(std::max(v, lo), hi); });
    return record("clamp", out, {x}, [x, lo, hi](const Tensor& g) {
        return std::vector<Tensor>{piecewise_grad(g, x, [lo, hi](float v) { return v >= lo && v <= hi ? 1.0f : 0.0f; })};
    });
}

// relu and leaky_relu (slope > 0) keep their output for the backward, not their input:
// y > 0 exactly where x > 0, and the input (often a norm's output that nothing else
// keeps) can then be freed after the forward, as PyTorch's in-place ReLU saves it.
Tensor relu(const Tensor& x) {
    Tensor out = map(x, [](float v) { return v > 0 ? v : 0.0f; });
    return record("relu", out, {x}, [y = out.detach()](const Tensor& g) {
        return std::vector<Tensor>{piecewise_grad(g, y, [](float v) { return v > 0 ? 1.0f : 0.0f; })};
    });
}

Tensor leaky_relu(const Tensor& x, float s) {
    Tensor out = map(x, [s](float v) { return v > 0 ? v : v * s; });
    Tensor saved = s > 0 ? out.detach() : x;  // the sign of y is that of x only for s > 0
    return record("leaky_relu", out, {x}, [saved, s](const Tensor& g) {
        return std::vector<Tensor>{piecewise_grad(g, saved, [s](float v) { return v > 0 ? 1.0f : s; })};
    });
}

Tensor sigmoid(const Tensor& x) {
    Tensor out = vmap(x, vmath::sigmoid);
    return record("sigmoid", out, {x}, [x, y = out.detach()](const Tensor& g) {
        if (recording_backward()) { Tensor s = sigmoid(x); return std::vector<Tensor>{g * s * (1.0f - s)}; }
        return std::vector<Tensor>{grad_times(g, y, [](float s) { return s * (1.0f - s); })};
    });
}

Tensor tanh(const Tensor& x) {
    Tensor out = vmap(x, vmath::tanh);
    return record("tanh", out, {x}, [x, y = out.detach()](const Tensor& g) {
        if (recording_backward()) return std::vector<Tensor>{g * (1.0f - square(tanh(x)))};
        return std::vector<Tensor>{grad_times(g, y, [](float t) { return 1.0f - t * t; })};
    });
}

Tensor silu(const Tensor& x) {
    Tensor out = vmap(x, vmath::silu);
    return record("silu", out, {x}, [x](const Tensor& g) {
        if (recording_backward()) { Tensor s = sigmoid(x); return std::vector<Tensor>{g * (s * (1.0f + x * (1.0f - s)))}; }
        Tensor dx = Tensor::empty(x.shape());
        vmath::silu_backward(g.data(), x.data(), dx.data(), x.numel());
        return std::vector<Tensor>{dx};
    });
}

Tensor elu(const Tensor& x, float alpha) {
    Tensor out = map(x, [alpha](float v) { return v > 0 ? v : alpha * (std::exp(v) - 1.0f); });
    return record("elu", out, {x}, [x, alpha](const Tensor& g) {
        if (recording_backward()) {
            Tensor pos = map(x.detach(), [](float v) { return v > 0 ? 1.0f : 0.0f; });
            return std::vector<Tensor>{g * (pos + (1.0f - pos) * (alpha * exp(x)))};
        }
        return std::vector<Tensor>{grad_times(g, x, [alpha](float v) { return v > 0 ? 1.0f : alpha * std::exp(v); })};
    });
}

Tensor softplus(const Tensor& x) {
    // torch uses the identity above threshold 20, as we do, for the same values.
    Tensor out = map(x, [](float v) { return v > 20.0f ? v : std::log1p(std::exp(v)); });
    return record("softplus", out, {x}, [x](const Tensor& g) {
        if (recording_backward()) return std::vector<Tensor>{g * sigmoid(x)};
        return std::vector<Tensor>{grad_times(g, x, [](float v) { return 1.0f / (1.0f + std::exp(-v)); })};
    });
}

Tensor gelu(const Tensor& x) {
    Tensor out = map(x, [](float v) { return 0.5f * v * (1.0f + std::erf(v * float(M_SQRT1_2))); });
    return record("gelu", out, {x}, [x](const Tensor& g) {
        first_order_only("gelu", g);
        return std::vector<Tensor>{grad_times(g, x, [](float v) {
            float cdf = 0.5f * (1.0f + std::erf(v * float(M_SQRT1_2)));
            float pdf = std::exp(-0.5f * v * v) * 0.3989422804014327f;
            return cdf + v * pdf;
        })};
    });
}

}  // namespace genhost::engine
