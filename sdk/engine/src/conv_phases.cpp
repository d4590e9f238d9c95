// Stride s by phases (see conv_phases.hpp). Channel (c, a, b) of the phase tensor is
// c * s * s + a * s + b, so each group's channels stay together.
#include "conv_phases.hpp"

#include <algorithm>

#include "conv_direct.hpp"

namespace genhost::engine::conv_phases {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The stride-1 convolution over the phases. Its output (Ho1 x Wo1) can be one row or
// column larger than the strided one: the extra is dropped (forward) or zero (backward).
ConvGeometry stride1(const ConvGeometry& g) {
    const int64_t s = g.s, Hs = ceil_div(g.H + 2 * g.p, s), Ws = ceil_div(g.W + 2 * g.p, s);
    const int64_t kh = ceil_div(g.kh, s), kw = ceil_div(g.kw, s);
    return ConvGeometry{g.N, g.C * s * s, Hs, Ws, g.O, kh, kw, Hs - kh + 1, Ws - kw + 1, 1, 0, 1, g.G};
}

// Row by row over X[n][(c, a, b)][i][:] = x[n][c][s*i + a - p][s*j + b - p]: f(X row,
// x row or null in the padding, columns [lo, hi) that fall inside x, x column of j = 0).
// Every x position has exactly one phase slot.
template <class F>
void for_each_phase_row(const ConvGeometry& g, const ConvGeometry& g1, F f) {
    const int64_t s = g.s;
    for (int64_t n = 0; n < g.N; ++n)
        for (int64_t c = 0; c < g.C; ++c)
            for (int64_t a = 0; a < s; ++a)
                for (int64_t b = 0; b < s; ++b) {
                    const int64_t x0 = b - g.p;  // x column of j = 0; column of j is x0 + s * j
                    const int64_t lo = std::min(g1.W, x0 >= 0 ? int64_t(0) : (-x0 + s - 1) / s);
                    const int64_t hi = std::max(lo, std::min(g1.W, x0 >= g.W ? int64_t(0) : (g.W - 1 - x0) / s + 1));
                    for (int64_t i = 0; i < g1.H; ++i) {
                        const int64_t y = s * i + a - g.p;
                        const int64_t X_row = (((n * g.C + c) * s * s + a * s + b) * g1.H + i) * g1.W;
                        const int64_t x_row = y >= 0 && y < g.H ? ((n * g.C + c) * g.H + y) * g.W : -1;
                        f(X_row, x_row, lo, hi, x0);
                    }
                }
}

// f(w index or -1 past the kernel, W1 index) for W1[o][(c, a, b)][u][v] = w[o][c][s*u + a][s*v + b].
template <class F>
void for_each_kernel_slot(const ConvGeometry& g, const ConvGeometry& g1, F f) {
    const int64_t s = g.s, Cg = g.Cg();
    for (int64_t o = 0; o < g.O; ++o)
        for (int64_t c = 0; c < Cg; ++c)
            for (int64_t a = 0; a < s; ++a)
                for (int64_t b = 0; b < s; ++b)
                    for (int64_t u = 0; u < g1.kh; ++u)
                        for (int64_t v = 0; v < g1.kw; ++v) {
                            const int64_t ki = s * u + a, kj = s * v + b;
                            f(ki < g.kh && kj < g.kw ? ((o * Cg + c) * g.kh + ki) * g.kw + kj : -1,
                              (((o * Cg + c) * s * s + a * s + b) * g1.kh + u) * g1.kw + v);
                        }
}

Tensor phases_of(const Tensor& x, const ConvGeometry& g, const ConvGeometry& g1) {
    Tensor X = Tensor::empty({g1.N, g1.C, g1.H, g1.W});
    const float* px = x.data();
    float* pX = X.data();
    for_each_phase_row(g, g1, [&](int64_t Xr, int64_t xr, int64_t lo, int64_t hi, int64_t x0) {
        float* row = pX + Xr;
        if (xr < 0) lo = hi = g1.W;  // a padding row
        for (int64_t j = 0; j < lo; ++j) row[j] = 0.0f;
        for (int64_t j = lo; j < hi; ++j) row[j] = px[xr + x0 + g.s * j];
        for (int64_t j = hi; j < g1.W; ++j) row[j] = 0.0f;
    });
    return X;
}

Tensor kernel_of(const Tensor& w, const ConvGeometry& g, const ConvGeometry& g1) {
    Tensor W1 = Tensor::empty({g1.O, g1.Cg(), g1.kh, g1.kw});
    const float* pw = w.data();
    float* pW = W1.data();
    for_each_kernel_slot(g, g1, [&](int64_t wi, int64_t Wi) { pW[Wi] = wi >= 0 ? pw[wi] : 0.0f; });
    return W1;
}

// [N, O, from_h, from_w] -> [N, O, to_h, to_w]: the top-left corner, zero-filled.
Tensor resize_output(const Tensor& y, int64_t to_h, int64_t to_w) {
    const int64_t N = y.size(0), O = y.size(1), fh = y.size(2), fw = y.size(3);
    if (fh == to_h && fw == to_w) return y;
    Tensor r = Tensor::zeros({N, O, to_h, to_w});
    const float* src = y.data();
    float* dst = r.data();
    for (int64_t m = 0; m < N * O; ++m)
        for (int64_t i = 0; i < std::min(fh, to_h); ++i)
            for (int64_t j = 0; j < std::min(fw, to_w); ++j) dst[(m * to_h + i) * to_w + j] = src[(m * fh + i) * fw + j];
    return r;
}

}  // namespace

bool takes(const ConvGeometry& g) { return conv_direct::enabled() && g.s > 1 && g.d == 1; }

Tensor forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g) {
    const ConvGeometry g1 = stride1(g);
    return resize_output(conv_direct::forward(phases_of(x, g, g1), kernel_of(w, g, g1), bias, g1), g.Ho, g.Wo);
}

Tensor input_grad(const Tensor& gy, const Tensor& w, const ConvGeometry& g) {
    const ConvGeometry g1 = stride1(g);
    Tensor dX = conv_direct::input_grad(resize_output(gy, g1.Ho, g1.Wo), kernel_of(w, g, g1), g1);
    Tensor dx = Tensor::empty({g.N, g.C, g.H, g.W});
    const float* pX = dX.data();
    float* px = dx.data();
    for_each_phase_row(g, g1, [&](int64_t Xr, int64_t xr, int64_t lo, int64_t hi, int64_t x0) {
        if (xr >= 0)
            for (int64_t j = lo; j < hi; ++j) px[xr + x0 + g.s * j] = pX[Xr + j];
    });
    return dx;
}

Tensor weight_grad(const Tensor& x, const Tensor& gy, const ConvGeometry& g) {
    const ConvGeometry g1 = stride1(g);
    Tensor dW1 = conv_direct::weight_grad(phases_of(x, g, g1), resize_output(gy, g1.Ho, g1.Wo), g1);
    Tensor dw = Tensor::empty({g.O, g.Cg(), g.kh, g.kw});
    const float* pW = dW1.data();
    float* pw = dw.data();
    for_each_kernel_slot(g, g1, [&](int64_t wi, int64_t Wi) { if (wi >= 0) pw[wi] = pW[Wi]; });
    return dw;
}

}  // namespace genhost::engine::conv_phases
