// Pooling and upsampling, each a LinearMap (forward kernel + adjoint kernel).
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels.hpp"
#include "linear_map.hpp"
#include "genhost/engine/nn.hpp"

namespace genhost::engine {

Tensor apply_linear_map(std::shared_ptr<const LinearMap> map, const Tensor& x, bool adjoint) {
    const Shape& expect = adjoint ? map->out_shape : map->in_shape;
    if (x.shape() != expect) shape_error(shapes_message(map->name, x.shape(), expect, "(input, expected input) differ"));
    Tensor out = Tensor::zeros(adjoint ? map->in_shape : map->out_shape);
    if (adjoint) map->adjoint(x.data(), out.data());
    else map->forward(x.data(), out.data());
    return record(map->name, out, {x}, [map, adjoint](const Tensor& g) {
        return std::vector<Tensor>{apply_linear_map(map, g, !adjoint)};
    });
}

namespace {

struct Pool { int64_t planes, H, W, Ho, Wo, k, s, p; };

Pool pool_geometry(const char* op, const Tensor& x, int64_t k, int64_t s, int64_t p) {
    if (x.dim() != 4) shape_error(std::string(op) + ": input must be [N,C,H,W], got " + x.shape_str());
    if (s == 0) s = k;
    if (k < 1 || s < 1 || p < 0 || 2 * p > k)
        shape_error(std::string(op) + ": need kernel >= 1, stride >= 1, 0 <= padding <= kernel/2");
    Pool g{x.size(0) * x.size(1), x.size(2), x.size(3), 0, 0, k, s, p};
    g.Ho = (g.H + 2 * p - k) / s + 1;
    g.Wo = (g.W + 2 * p - k) / s + 1;
    if (g.H + 2 * p < k || g.W + 2 * p < k)
        shape_error(std::string(op) + ": kernel " + std::to_string(k) + " is larger than the padded input " + x.shape_str());
    return g;
}

Shape out_shape(const Tensor& x, int64_t Ho, int64_t Wo) { return {x.size(0), x.size(1), Ho, Wo}; }

}  // namespace

Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
    Pool g = pool_geometry("avg_pool2d", x, kernel, stride, padding);
    // Padding counts in the divisor (torch's count_include_pad=True).
    const float scale = 1.0f / static_cast<float>(g.k * g.k);
    auto visit = [g](auto&& f) {
        for (int64_t pl = 0; pl < g.planes; ++pl)
            for (int64_t oh = 0; oh < g.Ho; ++oh)
                for (int64_t ow = 0; ow < g.Wo; ++ow)
                    for (int64_t i = 0; i < g.k; ++i) {
                        int64_t ih = oh * g.s - g.p + i;
                        if (ih < 0 || ih >= g.H) continue;
                        for (int64_t j = 0; j < g.k; ++j) {
                            int64_t iw = ow * g.s - g.p + j;
                            if (iw >= 0 && iw < g.W) f((pl * g.H + ih) * g.W + iw, (pl * g.Ho + oh) * g.Wo + ow);
                        }
                    }
    };
    auto map = std::make_shared<LinearMap>(LinearMap{"avg_pool2d", x.shape(), out_shape(x, g.Ho, g.Wo),
        [visit, scale](const float* in, float* out) { visit([&](int64_t a, int64_t b) { out[b] += scale * in[a]; }); },
        [visit, scale](const float* out, float* in) { visit([&](int64_t a, int64_t b) { in[a] += scale * out[b]; }); }});
    return apply_linear_map(map, x);
}

Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
    Pool g = pool_geometry("max_pool2d", x, kernel, stride, padding);
    // The argmax of each window fixes a gather (forward) and scatter (adjoint).
    auto idx = std::make_shared<std::vector<int64_t>>(g.planes * g.Ho * g.Wo);
    const float* px = x.data();
    for (int64_t pl = 0; pl < g.planes; ++pl)
        for (int64_t oh = 0; oh < g.Ho; ++oh)
            for (int64_t ow = 0; ow < g.Wo; ++ow) {
                float best = -std::numeric_limits<float>::infinity();
                int64_t at = -1;
                for (int64_t i = 0; i < g.k; ++i) {
                    int64_t ih = oh * g.s - g.p + i;
                    if (ih < 0 || ih >= g.H) continue;
                    for (int64_t j = 0; j < g.k; ++j) {
                        int64_t iw = ow * g.s - g.p + j;
                        if (iw < 0 || iw >= g.W) continue;
                        int64_t a = (pl * g.H + ih) * g.W + iw;
                        if (at < 0 || px[a] > best || std::isnan(px[a])) { best = px[a]; at = a; }
                    }
                }
                (*idx)[(pl * g.Ho + oh) * g.Wo + ow] = at;
            }
    auto map = std::make_shared<LinearMap>(LinearMap{"max_pool2d", x.shape(), out_shape(x, g.Ho, g.Wo),
        [idx](const float* in, float* out) { for (size_t b = 0; b < idx->size(); ++b) out[b] = in[(*idx)[b]]; },
        [idx](const float* out, float* in) { for (size_t b = 0; b < idx->size(); ++b) in[(*idx)[b]] += out[b]; }});
    return apply_linear_map(map, x);
}

Tensor upsample_nearest2d(const Tensor& x, int64_t scale) {
    if (x.dim() != 4 || scale < 1) shape_error("upsample_nearest2d: need input [N,C,H,W] and scale >= 1, got " + x.shape_str());
    const int64_t planes = x.size(0) * x.size(1), H = x.size(2), W = x.size(3), Ho = H * scale, Wo = W * scale;
    // Forward: widen each input row once, then copy it to the other scale - 1 rows.
    // Adjoint: each input value sums its scale x scale block, row by row and left to
    // right (the order of a plain scatter). Both are parallel over planes.
    auto forward = [=](const float* in, float* out) {
        parallel_for(planes, 1, [&](int64_t lo, int64_t hi) {
            for (int64_t pl = lo; pl < hi; ++pl)
                for (int64_t ih = 0; ih < H; ++ih) {
                    const float* src = in + (pl * H + ih) * W;
                    float* dst = out + (pl * Ho + ih * scale) * Wo;
                    if (scale == 2) {
                        for (int64_t iw = 0; iw < W; ++iw) dst[2 * iw] = dst[2 * iw + 1] = src[iw];
                    } else {
                        for (int64_t iw = 0; iw < W; ++iw)
                            for (int64_t k = 0; k < scale; ++k) dst[iw * scale + k] = src[iw];
                    }
                    for (int64_t r = 1; r < scale; ++r) std::copy(dst, dst + Wo, dst + r * Wo);
                }
        });
    };
    auto adjoint = [=](const float* out, float* in) {
        parallel_for(planes, 1, [&](int64_t lo, int64_t hi) {
            for (int64_t pl = lo; pl < hi; ++pl)
                for (int64_t ih = 0; ih < H; ++ih) {
                    float* dst = in + (pl * H + ih) * W;
                    for (int64_t r = 0; r < scale; ++r) {
                        const float* row = out + (pl * Ho + ih * scale + r) * Wo;
                        if (scale == 2) {
                            for (int64_t iw = 0; iw < W; ++iw) dst[iw] = dst[iw] + row[2 * iw] + row[2 * iw + 1];
                        } else {
                            for (int64_t iw = 0; iw < W; ++iw)
                                for (int64_t k = 0; k < scale; ++k) dst[iw] += row[iw * scale + k];
                        }
                    }
                }
        });
    };
    auto map = std::make_shared<LinearMap>(LinearMap{"upsample_nearest2d", x.shape(), out_shape(x, Ho, Wo), forward, adjoint});
    return apply_linear_map(map, x);
}

Tensor upsample_bilinear2d(const Tensor& x, int64_t scale) {
    if (x.dim() != 4 || scale < 1) shape_error("upsample_bilinear2d: need input [N,C,H,W] and scale >= 1, got " + x.shape_str());
    const int64_t planes = x.size(0) * x.size(1), H = x.size(2), W = x.size(3), Ho = H * scale, Wo = W * scale;
    // align_corners=false: source coordinate (dst + 0.5) / scale - 0.5, clamped at 0.
    auto taps = [scale](int64_t dst, int64_t len, int64_t& i0, int64_t& i1, float& l1) {
        float src = std::max((static_cast<float>(dst) + 0.5f) / static_cast<float>(scale) - 0.5f, 0.0f);
        i0 = std::min(static_cast<int64_t>(src), len - 1);
        i1 = std::min(i0 + 1, len - 1);
        l1 = src - static_cast<float>(i0);
    };
    auto visit = [=](auto&& f) {
        for (int64_t oh = 0; oh < Ho; ++oh) {
            int64_t h0, h1; float lh;
            taps(oh, H, h0, h1, lh);
            for (int64_t ow = 0; ow < Wo; ++ow) {
                int64_t w0, w1; float lw;
                taps(ow, W, w0, w1, lw);
                for (int64_t pl = 0; pl < planes; ++pl) {
                    int64_t b = (pl * Ho + oh) * Wo + ow, base = pl * H * W;
                    f(base + h0 * W + w0, b, (1 - lh) * (1 - lw));
                    f(base + h0 * W + w1, b, (1 - lh) * lw);
                    f(base + h1 * W + w0, b, lh * (1 - lw));
                    f(base + h1 * W + w1, b, lh * lw);
                }
            }
        }
    };
    auto map = std::make_shared<LinearMap>(LinearMap{"upsample_bilinear2d", x.shape(), out_shape(x, Ho, Wo),
        [visit](const float* in, float* out) { visit([&](int64_t a, int64_t b, float c) { out[b] += c * in[a]; }); },
        [visit](const float* out, float* in) { visit([&](int64_t a, int64_t b, float c) { in[a] += c * out[b]; }); }});
    return apply_linear_map(map, x);
}

}  // namespace genhost::engine
