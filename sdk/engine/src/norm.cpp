// Normalisation layers. Each normalises x to xhat = (x - mean) * rstd and applies the
// affine map in one fused kernel; the backward is the textbook formula
//     dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),  dxhat = g * weight
// (means over the normalised set), with dweight = sum(g * xhat), dbias = sum(g).
// GroupNorm and LayerNorm also have a recorded backward for create_graph; BatchNorm is
// first order only (create_graph through it throws).
#include <cmath>

#include "kernels.hpp"
#include "simd/row_kernels.hpp"
#include "genhost/engine/nn.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

// Fused normalisation + affine over R rows of M contiguous values. The affine parameter
// of element i in row r is channel (r % G) * (M / S) + i / S: GroupNorm has S = H*W
// values per channel, LayerNorm has G = 1, S = 1 (one parameter per element).
struct RowNorm { int64_t R, M, G, S; float eps; };

// The same backward written with differentiable ops, for create_graph (gradient
// penalties through LayerNorm/GroupNorm critics). x viewed as [R/G, G, M/S, S]: the
// statistics are over dims {2, 3}, the affine parameters are [G, M/S].
std::vector<Tensor> row_norm_backward_recorded(const Tensor& x, const Tensor& weight, const Tensor& bias,
                                               const Tensor& g, const RowNorm& n) {
    const Shape v4{n.R / n.G, n.G, n.M / n.S, n.S};
    Tensor x4 = reshape(x, v4), g4 = reshape(g, v4);
    Tensor xc = x4 - mean(x4, {2, 3}, true);
    Tensor rstd = pow(mean(square(xc), {2, 3}, true) + n.eps, -0.5f);
    Tensor xhat = xc * rstd;
    Tensor dxhat = weight.defined() ? g4 * reshape(weight, {1, n.G, n.M / n.S, 1}) : g4;
    Tensor dx = rstd * (dxhat - mean(dxhat, {2, 3}, true) - xhat * mean(dxhat * xhat, {2, 3}, true));
    Tensor dw = weight.defined() && weight.requires_grad() ? reshape(sum(g4 * xhat, {0, 3}), weight.shape()) : Tensor();
    Tensor db = bias.defined() && bias.requires_grad() ? reshape(sum(g4, {0, 3}), bias.shape()) : Tensor();
    return {reshape(dx, x.shape()), dw, db};
}

Tensor row_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, RowNorm n, const char* name) {
    Tensor y = Tensor::empty(x.shape());
    auto stats = std::make_shared<std::vector<float>>(2 * n.R);  // mean, rstd per row
    const float* px = x.data();
    const float* pw = weight.defined() ? weight.data() : nullptr;
    const float* pb = bias.defined() ? bias.data() : nullptr;
    float* py = y.data();
    const int64_t per_row_channels = n.M / n.S;
    const simd::RowKernels& rk = simd::row_kernels();
    parallel_for(n.R, 1, [&](int64_t lo, int64_t hi) {
        for (int64_t r = lo; r < hi; ++r) {
            const float* xr = px + r * n.M;
            // Float sums in vector lanes (reassociated): as accurate as torch's.
            const float m = rk.sum(xr, n.M) / static_cast<float>(n.M);
            const float rs = 1.0f / std::sqrt(rk.sum_sq_dev(xr, n.M, m) / static_cast<float>(n.M) + n.eps);
            (*stats)[2 * r] = m;
            (*stats)[2 * r + 1] = rs;
            const int64_t c0 = (r % n.G) * per_row_channels;
            if (n.S == 1) {  // LayerNorm: parameters per element
                for (int64_t i = 0; i < n.M; ++i)
                    py[r * n.M + i] = (xr[i] - m) * rs * (pw ? pw[i] : 1.0f) + (pb ? pb[i] : 0.0f);
                continue;
            }
            for (int64_t c = 0; c < per_row_channels; ++c) {  // y = x * a + b per channel
                const float a = rs * (pw ? pw[c0 + c] : 1.0f), b = (pb ? pb[c0 + c] : 0.0f) - m * a;
                rk.scale_shift(xr + c * n.S, py + r * n.M + c * n.S, n.S, a, b);
            }
        }
    });
    return record(name, y, {x, weight, bias}, [x, weight, bias, stats, n, name](const Tensor& g) {
        if (grad_enabled()) return row_norm_backward_recorded(x, weight, bias, g, n);
        const int64_t P = n.G * (n.M / n.S);  // number of affine parameters
        Tensor dx = Tensor::empty(x.shape());
        const float* px = x.data();
        const float* pg = g.data();
        const float* pw = weight.defined() ? weight.data() : nullptr;
        float* pd = dx.data();
        const int threads = std::max(1, std::min<int>(engine_threads(), static_cast<int>(n.R)));
        std::vector<std::vector<double>> dparam(threads, std::vector<double>(2 * P, 0.0));  // dweight, dbias
        const int64_t per_row_channels = n.M / n.S;
        const simd::RowKernels& rk = simd::row_kernels();
        // GroupNorm: per channel, the sums sum(g) and sum(g * (x - m)) give dweight,
        // dbias and the row's two means; then dx is one affine map of (g, x - m) per
        // channel, dx = rs * (w g - mean(dxhat) - xhat * mean(dxhat * xhat)).
        auto channel_rows = [&](int64_t lo, int64_t hi, std::vector<double>& acc) {
            for (int64_t r = lo; r < hi; ++r) {
                const float m = (*stats)[2 * r], rs = (*stats)[2 * r + 1];
                const float* xr = px + r * n.M;
                const float* gr = pg + r * n.M;
                const int64_t c0 = (r % n.G) * per_row_channels;
                float sd = 0, sdx = 0;  // sum(dxhat), sum(dxhat * xhat)
                for (int64_t c = 0; c < per_row_channels; ++c) {
                    const int64_t ch = c0 + c;
                    const float w = pw ? pw[ch] : 1.0f;
                    float sg, sgx;
                    rk.sum_g_gx(gr + c * n.S, xr + c * n.S, n.S, m, &sg, &sgx);
                    acc[ch] += rs * sgx;  // sum(g * xhat)
                    acc[P + ch] += sg;
                    sd += w * sg;
                    sdx += w * rs * sgx;
                }
                const float md = sd / static_cast<float>(n.M), mdx = sdx / static_cast<float>(n.M);
                for (int64_t c = 0; c < per_row_channels; ++c) {
                    const float w = pw ? pw[c0 + c] : 1.0f;
                    rk.norm_backward(gr + c * n.S, xr + c * n.S, pd + r * n.M + c * n.S, n.S, rs * w, m,
                                     -rs * rs * mdx, -rs * md);
                }
            }
        };
        // LayerNorm: one parameter per element (P = M).
        auto element_rows = [&](int64_t lo, int64_t hi, std::vector<double>& acc) {
            for (int64_t r = lo; r < hi; ++r) {
                const float m = (*stats)[2 * r], rs = (*stats)[2 * r + 1];
                const float* xr = px + r * n.M;
                const float* gr = pg + r * n.M;
                float sd = 0, sdx = 0;  // sum(dxhat), sum(dxhat * xhat)
#pragma omp simd reduction(+ : sd, sdx)
                for (int64_t i = 0; i < n.M; ++i) {
                    const float xhat = (xr[i] - m) * rs, dxhat = gr[i] * (pw ? pw[i] : 1.0f);
                    acc[i] += gr[i] * xhat;
                    acc[P + i] += gr[i];
                    sd += dxhat;
                    sdx += dxhat * xhat;
                }
                const float md = sd / static_cast<float>(n.M), mdx = sdx / static_cast<float>(n.M);
                float* dr = pd + r * n.M;
                for (int64_t i = 0; i < n.M; ++i)
                    dr[i] = rs * (gr[i] * (pw ? pw[i] : 1.0f) - md - (xr[i] - m) * rs * mdx);
            }
        };
        auto rows = [&](int64_t lo, int64_t hi, std::vector<double>& acc) {
            if (n.S == 1) element_rows(lo, hi, acc);
            else channel_rows(lo, hi, acc);
        };
        if (threads == 1) {
            rows(0, n.R, dparam[0]);
        } else {
#pragma omp parallel for num_threads(threads) schedule(static)
            for (int t = 0; t < threads; ++t) rows(n.R * t / threads, n.R * (t + 1) / threads, dparam[t]);
        }
        Tensor dw, db;
        if (weight.defined() && weight.requires_grad()) {
            dw = Tensor::empty(weight.shape());
            for (int64_t i = 0; i < P; ++i) { double v = 0; for (auto& a : dparam) v += a[i]; dw.data()[i] = static_cast<float>(v); }
        }
        if (bias.defined() && bias.requires_grad()) {
            db = Tensor::empty(bias.shape());
            for (int64_t i = 0; i < P; ++i) { double v = 0; for (auto& a : dparam) v += a[P + i]; db.data()[i] = static_cast<float>(v); }
        }
        return std::vector<Tensor>{dx, dw, db};
    });
}

void check_affine(const char* op, const Tensor& p, int64_t C, const Shape& x) {
    if (p.defined() && (p.dim() != 1 || p.size(0) != C))
        shape_error(shapes_message(op, x, p.shape(), "(input, weight/bias) do not match: need [C]"));
}

}  // namespace

Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias, float eps) {
    if (x.dim() < 2 || groups < 1 || x.size(1) % groups)
        shape_error("group_norm: input " + x.shape_str() + " must be [N,C,...] with C divisible by groups=" + std::to_string(groups));
    const int64_t C = x.size(1);
    check_affine("group_norm", weight, C, x.shape());
    check_affine("group_norm", bias, C, x.shape());
    const int64_t R = x.size(0) * groups, M = x.numel() / std::max<int64_t>(R, 1);
    return row_norm(x, weight, bias, RowNorm{R, M, groups, M / (C / groups), eps}, "group_norm");
}

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias, float eps) {
    const int64_t k = static_cast<int64_t>(normalized_shape.size());
    if (k < 1 || k > x.dim() || !std::equal(normalized_shape.begin(), normalized_shape.end(), x.shape().end() - k))
        shape_error(shapes_message("layer_norm", x.shape(), normalized_shape, "(input, normalized_shape): the input must end with normalized_shape"));
    if (weight.defined() && weight.shape() != normalized_shape)
        shape_error(shapes_message("layer_norm", weight.shape(), normalized_shape, "(weight, normalized_shape) differ"));
    if (bias.defined() && bias.shape() != normalized_shape)
        shape_error(shapes_message("layer_norm", bias.shape(), normalized_shape, "(bias, normalized_shape) differ"));
    const int64_t M = shape_numel(normalized_shape), R = x.numel() / std::max<int64_t>(M, 1);
    return row_norm(x, weight, bias, RowNorm{R, M, 1, 1, eps}, "layer_norm");
}

Tensor batch_norm2d(const Tensor& x, Tensor running_mean, Tensor running_var, const Tensor& weight,
                    const Tensor& bias, bool training, float momentum, float eps) {
    if (x.dim() != 4) shape_error("batch_norm2d: input must be [N,C,H,W], got " + x.shape_str());
    const int64_t N = x.size(0), C = x.size(1), S = x.size(2) * x.size(3), count = N * S;
    check_affine("batch_norm2d", weight, C, x.shape());
    check_affine("batch_norm2d", bias, C, x.shape());
    check_affine("batch_norm2d", running_mean, C, x.shape());
    check_affine("batch_norm2d", running_var, C, x.shape());
    if (!training && (!running_mean.defined() || !running_var.defined()))
        throw std::invalid_argument("batch_norm2d: eval mode needs running_mean and running_var");
    if (training && count < 2)
        throw std::invalid_argument("batch_norm2d: training needs more than one value per channel, got input " + x.shape_str());

    auto stats = std::make_shared<std::vector<float>>(2 * C);  // mean, rstd per channel
    const float* px = x.data();
    const float* pw = weight.defined() ? weight.data() : nullptr;
    const float* pb = bias.defined() ? bias.data() : nullptr;
    Tensor y = Tensor::empty(x.shape());
    float* py = y.data();
    parallel_for(C, 1, [&](int64_t lo, int64_t hi) {
        for (int64_t c = lo; c < hi; ++c) {
            float m, rs;
            if (training) {
                double s = 0, ss = 0;
                for (int64_t n = 0; n < N; ++n) {
                    const float* xs = px + (n * C + c) * S;
#pragma omp simd reduction(+ : s)
                    for (int64_t i = 0; i < S; ++i) s += xs[i];
                }
                const double mu = s / count;
                for (int64_t n = 0; n < N; ++n) {
                    const float* xs = px + (n * C + c) * S;
#pragma omp simd reduction(+ : ss)
                    for (int64_t i = 0; i < S; ++i) { double d = xs[i] - mu; ss += d * d; }
                }
                m = static_cast<float>(mu);
                rs = static_cast<float>(1.0 / std::sqrt(ss / count + eps));
                if (running_mean.defined()) {  // momentum update with the unbiased variance, as torch
                    float* rm = running_mean.data();
                    float* rv = running_var.data();
                    rm[c] = (1 - momentum) * rm[c] + momentum * m;
                    rv[c] = (1 - momentum) * rv[c] + momentum * static_cast<float>(ss / (count - 1));
                }
            } else {
                m = running_mean.data()[c];
                rs = 1.0f / std::sqrt(running_var.data()[c] + eps);
            }
            (*stats)[2 * c] = m;
            (*stats)[2 * c + 1] = rs;
            const float a = rs * (pw ? pw[c] : 1.0f), b = (pb ? pb[c] : 0.0f) - m * a;
            for (int64_t n = 0; n < N; ++n) {
                const float* xs = px + (n * C + c) * S;
                float* ys = py + (n * C + c) * S;
                for (int64_t i = 0; i < S; ++i) ys[i] = xs[i] * a + b;
            }
        }
    });
    return record("batch_norm2d", y, {x, weight, bias}, [x, weight, bias, stats, training, N, C, S, count](const Tensor& g) {
        first_order_only("batch_norm2d", g);
        Tensor dx = Tensor::empty(x.shape());
        Tensor dw = Tensor::empty({C}), db = Tensor::empty({C});
        const float* px = x.data();
        const float* pg = g.data();
        const float* pw = weight.defined() ? weight.data() : nullptr;
        float* pd = dx.data();
        parallel_for(C, 1, [&](int64_t lo, int64_t hi) {
            for (int64_t c = lo; c < hi; ++c) {
                const float m = (*stats)[2 * c], rs = (*stats)[2 * c + 1], w = pw ? pw[c] : 1.0f;
                double sg = 0, sgx = 0;  // sum(g), sum(g * xhat)
                for (int64_t n = 0; n < N; ++n) {
                    const float* xs = px + (n * C + c) * S;
                    const float* gs = pg + (n * C + c) * S;
#pragma omp simd reduction(+ : sg, sgx)
                    for (int64_t i = 0; i < S; ++i) { sg += gs[i]; sgx += gs[i] * ((xs[i] - m) * rs); }
                }
                dw.data()[c] = static_cast<float>(sgx);
                db.data()[c] = static_cast<float>(sg);
                // Training: the batch statistics depend on x too; eval: a fixed affine map.
                const float mg = training ? static_cast<float>(sg / count) : 0.0f;
                const float mgx = training ? static_cast<float>(sgx / count) : 0.0f;
                for (int64_t n = 0; n < N; ++n) {
                    const float* xs = px + (n * C + c) * S;
                    const float* gs = pg + (n * C + c) * S;
                    float* ds = pd + (n * C + c) * S;
                    for (int64_t i = 0; i < S; ++i) ds[i] = w * rs * (gs[i] - mg - (xs[i] - m) * rs * mgx);
                }
            }
        });
        return std::vector<Tensor>{dx, weight.defined() ? dw : Tensor(), bias.defined() ? db : Tensor()};
    });
}

}  // namespace genhost::engine
