// conv2d and conv_transpose2d: stride 1 by direct kernels (conv_direct.cpp); a kernel as
// large as its unpadded input (one output position: DCGAN's first generator and last
// critic layer) as one matrix product; the rest (strides; padding wider than the kernel
// in the input gradient) via im2col/col2im + GEMM, which for strided convolutions
// measured faster than the direct kernels over the input's phases (bench/engine/bench_conv).
//
// Three linear maps close under differentiation: y = conv(x, w), dx = conv_dx(gy, w)
// (the adjoint in x, which is also conv_transpose2d) and dw = conv_dw(x, gy) (the adjoint
// in w). The backward of each is written with the other two, so conv2d and
// conv_transpose2d are differentiable to any order (WGAN-GP critics).
//
// Threads: chunks of samples are spread over the engine's threads, each running
// single-threaded GEMMs on its own im2col buffer (small GEMMs scale badly when split).
#include <cblas.h>

#include <cstring>

#include "conv_direct.hpp"
#include "kernels.hpp"
#include "genhost/engine/nn.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {

using Geometry = ConvGeometry;

Geometry geometry(const char* op, const Shape& x, const Shape& w, const Conv2dOptions& o) {
    if (x.size() != 4) shape_error(std::string(op) + ": input must be [N,C,H,W], got " + shape_to_string(x));
    if (w.size() != 4) shape_error(std::string(op) + ": weight must be [Cout,Cin/groups,kh,kw], got " + shape_to_string(w));
    if (o.stride < 1 || o.padding < 0 || o.dilation < 1 || o.groups < 1)
        shape_error(std::string(op) + ": need stride >= 1, padding >= 0, dilation >= 1, groups >= 1");
    Geometry g{x[0], x[1], x[2], x[3], w[0], w[2], w[3], 0, 0, o.stride, o.padding, o.dilation, o.groups, o.taps};
    if (g.taps != 0) {
        const int64_t T = g.kh * g.kw;
        if (T > 64 || (T < 64 && g.taps >> T != 0))
            shape_error(std::string(op) + ": taps selects taps past the kernel's " + std::to_string(T) +
                        " (bit ki * kw + kj; kernels of at most 64 taps)");
        if (T == 64 ? g.taps == ~uint64_t(0) : g.taps == (uint64_t(1) << T) - 1) g.taps = 0;  // all open
    }
    if (g.C % g.G || g.O % g.G || w[1] * g.G != g.C)
        shape_error(shapes_message(op, x, w, ("(input, weight) do not match for groups=" + std::to_string(g.G) +
                                              ": need weight[1] * groups == input channels, both divisible by groups").c_str()));
    g.Ho = (g.H + 2 * g.p - g.d * (g.kh - 1) - 1) / g.s + 1;
    g.Wo = (g.W + 2 * g.p - g.d * (g.kw - 1) - 1) / g.s + 1;
    if (g.Ho < 1 || g.Wo < 1)
        shape_error(shapes_message(op, x, w, "(input, weight): the kernel is larger than the padded input"));
    return g;
}

// Output columns ow whose input column iw0 + ow * s lies inside [0, W): [lo, hi).
inline void valid_range(int64_t iw0, int64_t s, int64_t W, int64_t Wo, int64_t& lo, int64_t& hi) {
    lo = iw0 >= 0 ? 0 : (-iw0 + s - 1) / s;
    hi = iw0 >= W ? 0 : std::min<int64_t>(Wo, (W - 1 - iw0) / s + 1);
    lo = std::min(lo, Wo);
    hi = std::max(hi, lo);
}

// Rows of col (stride ldc) for channels [Cg, H, W] of one sample: row (c, ki, kj) holds
// the Ho*Wo input values that kernel tap meets (zeros in the padding).
void im2col(const Geometry& g, const float* x, float* col, int64_t ldc) {
    for (int64_t c = 0; c < g.Cg(); ++c)
        for (int64_t ki = 0; ki < g.kh; ++ki)
            for (int64_t kj = 0; kj < g.kw; ++kj) {
                float* row = col + ((c * g.kh + ki) * g.kw + kj) * ldc;
                const float* xc = x + c * g.H * g.W;
                const int64_t iw0 = -g.p + kj * g.d;
                int64_t lo, hi;
                valid_range(iw0, g.s, g.W, g.Wo, lo, hi);
                for (int64_t oh = 0; oh < g.Ho; ++oh) {
                    const int64_t ih = oh * g.s - g.p + ki * g.d;
                    float* r = row + oh * g.Wo;
                    if (ih < 0 || ih >= g.H) { std::memset(r, 0, g.Wo * sizeof(float)); continue; }
                    const float* xr = xc + ih * g.W + iw0;
                    for (int64_t ow = 0; ow < lo; ++ow) r[ow] = 0.0f;
                    if (g.s == 1) std::memcpy(r + lo, xr + lo, (hi - lo) * sizeof(float));
                    else for (int64_t ow = lo; ow < hi; ++ow) r[ow] = xr[ow * g.s];
                    for (int64_t ow = hi; ow < g.Wo; ++ow) r[ow] = 0.0f;
                }
            }
}

// Adds col back into channels [Cg, H, W] (the adjoint of im2col).
void col2im(const Geometry& g, const float* col, int64_t ldc, float* x) {
    for (int64_t c = 0; c < g.Cg(); ++c)
        for (int64_t ki = 0; ki < g.kh; ++ki)
            for (int64_t kj = 0; kj < g.kw; ++kj) {
                const float* row = col + ((c * g.kh + ki) * g.kw + kj) * ldc;
                float* xc = x + c * g.H * g.W;
                const int64_t iw0 = -g.p + kj * g.d;
                int64_t lo, hi;
                valid_range(iw0, g.s, g.W, g.Wo, lo, hi);
                for (int64_t oh = 0; oh < g.Ho; ++oh) {
                    const int64_t ih = oh * g.s - g.p + ki * g.d;
                    if (ih < 0 || ih >= g.H) continue;
                    const float* r = row + oh * g.Wo;
                    float* xr = xc + ih * g.W + iw0;
                    if (g.s == 1) for (int64_t ow = lo; ow < hi; ++ow) xr[ow] += r[ow];
                    else for (int64_t ow = lo; ow < hi; ++ow) xr[ow * g.s] += r[ow];
                }
            }
}

// Samples go through GEMM in chunks of `nb`, their im2col columns side by side, so that
// small images (7x7) still give GEMMs wide enough to run at full speed. The forward and
// the input gradient (a transposed conv's forward) always run GEMMs of the full width,
// nb * L columns, zero past the batch's last sample: OpenBLAS picks other kernels for
// other widths, and a sample's output must not depend on how many others share its
// batch (sampling 5 images in batches of 2 or 5 gives the same images; a test checks it).
// One sample per GEMM instead measured up to 20% slower (bench/engine/bench_conv), but it
// is what keeps that promise with kernels whose rounding depends on a column's place in
// the product (blas_position_invariant: OpenBLAS's AVX2 kernels).
struct Chunking {
    int64_t nb, chunks;
    Chunking(const Geometry& g, bool full_width)
        : nb(std::max<int64_t>(1, (512 + g.L() - 1) / g.L())), chunks(0) {
        if (full_width && !blas_position_invariant()) nb = 1;
        if (!full_width) nb = std::min(nb, g.N);
        chunks = (g.N + nb - 1) / nb;
    }
};

// Zeroes columns [from, ld) of `rows` rows of stride ld: the absent samples of a chunk.
void zero_columns(float* m, int64_t rows, int64_t from, int64_t ld) {
    if (from < ld)
        for (int64_t r = 0; r < rows; ++r) std::memset(m + r * ld + from, 0, (ld - from) * sizeof(float));
}

// Per-thread scratch: col [K, nb*L] and out [Og, nb*L].
struct Scratch {
    std::vector<float> col, out;
};

std::vector<Scratch> scratch_for(const Geometry& g, const Chunking& ch, int threads) {
    std::vector<Scratch> scratch(threads);
    for (auto& s : scratch) { s.col.resize(g.K() * ch.nb * g.L()); s.out.resize(g.Og() * ch.nb * g.L()); }
    return scratch;
}

// Runs f(chunk, scratch) for every chunk, spreading chunks over the engine's threads, each
// running single-threaded GEMMs (OpenBLAS always is: threads.cpp).
template <class F>
void for_chunks(const Geometry& g, const Chunking& ch, F f) {
    const int threads = threads_for(ch.chunks);
    std::vector<Scratch> scratch = scratch_for(g, ch, threads);
    for_each_item(ch.chunks, threads, [&](int64_t c, int t) { f(c, scratch[t]); });
}

// Gathers gy[n, group rows, :] for the chunk's samples into out [Og, cnt*L] (stride ld).
void gather_rows(const Geometry& g, const float* gy, int64_t n0, int64_t cnt, int64_t gi, float* out, int64_t ld) {
    for (int64_t k = 0; k < cnt; ++k)
        for (int64_t o = 0; o < g.Og(); ++o)
            std::memcpy(out + o * ld + k * g.L(), gy + ((n0 + k) * g.O + gi * g.Og() + o) * g.L(), g.L() * sizeof(float));
}

// The inverse of gather_rows: scatters in [Og, cnt*L] (stride ld) to y[n, group rows, :].
void scatter_rows(const Geometry& g, const float* in, int64_t n0, int64_t cnt, int64_t gi, float* y, int64_t ld) {
    for (int64_t k = 0; k < cnt; ++k)
        for (int64_t o = 0; o < g.Og(); ++o)
            std::memcpy(y + ((n0 + k) * g.O + gi * g.Og() + o) * g.L(), in + o * ld + k * g.L(), g.L() * sizeof(float));
}

// The paths that do not skip taps (dense, im2col) see w * M instead, and zero the weight
// gradient's closed taps.
Tensor open_taps(const Tensor& w, const Geometry& g) {
    if (g.taps == 0) return w;
    Tensor m = w.detach().clone();
    float* p = m.data();
    const int64_t T = g.kh * g.kw;
    for (int64_t i = 0; i < m.numel(); ++i)
        if (!g.open(i % T)) p[i] = 0.0f;
    return m;
}

// One output position that sees the whole unpadded input: with x as [N, K] and w as
// [O, K], y = x w^T, dx = gy w and dw = gy^T x, three GEMMs (on the engine's threads;
// each output element is one BLAS dot product in a fixed order, whatever the split).
// The direct kernels would pad the input by the kernel (a 1x1 input to 13x13 for a
// 7x7 kernel's input gradient) and run 100x slower.
// f(first row, rows) over the batch: all rows at once, or one sample at a time when the
// kernels' rounding depends on a row's place (so a sample's output is its own).
template <class F>
void for_batch_rows(int64_t n, F f) {
    if (blas_position_invariant()) { f(0, n); return; }
    for (int64_t i = 0; i < n; ++i) f(i, 1);
}

bool takes_dense(const Geometry& g) {
    return conv_direct::enabled() && g.G == 1 && g.p == 0 && g.H == g.kh && g.W == g.kw && g.Ho == 1 && g.Wo == 1;
}

// y = conv(x, w) (+ bias[o] on every output channel when bias is defined).
Tensor conv_forward_raw(const Tensor& x, const Tensor& w_in, const Tensor& bias, const Geometry& g) {
    if (conv_direct::takes(g) && !takes_dense(g)) return conv_direct::forward(x, w_in, bias, g);
    const Tensor w = open_taps(w_in, g);
    if (takes_dense(g)) {
        Tensor y = Tensor::empty({g.N, g.O, 1, 1});
        for_batch_rows(g.N, [&](int64_t n0, int64_t rows) {
            gemm(false, true, rows, g.O, g.K(), 1.0f, x.data() + n0 * g.K(), g.K(), w.data(), g.K(), 0.0f,
                 y.data() + n0 * g.O, g.O);
        });
        if (bias.defined())
            for (int64_t n = 0; n < g.N; ++n)
                for (int64_t o = 0; o < g.O; ++o) y.data()[n * g.O + o] += bias.data()[o];
        return y;
    }
    Tensor y = Tensor::empty({g.N, g.O, g.Ho, g.Wo});
    const float* px = x.data();
    const float* pw = w.data();
    float* py = y.data();
    Chunking ch(g, /*full_width=*/true);
    for_chunks(g, ch, [&](int64_t c, Scratch& s) {
        const int64_t n0 = c * ch.nb, cnt = std::min(ch.nb, g.N - n0), ld = ch.nb * g.L();
        for (int64_t gi = 0; gi < g.G; ++gi) {
            for (int64_t k = 0; k < cnt; ++k)
                im2col(g, px + ((n0 + k) * g.C + gi * g.Cg()) * g.H * g.W, s.col.data() + k * g.L(), ld);
            zero_columns(s.col.data(), g.K(), cnt * g.L(), ld);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.Og(), ld, g.K(), 1.0f,
                        pw + gi * g.Og() * g.K(), g.K(), s.col.data(), ld, 0.0f, s.out.data(), ld);
            scatter_rows(g, s.out.data(), n0, cnt, gi, py, ld);
        }
    });
    if (bias.defined()) {
        const float* pb = bias.data();
        for (int64_t n = 0; n < g.N; ++n)
            for (int64_t o = 0; o < g.O; ++o)
                for (int64_t l = 0; l < g.L(); ++l) py[(n * g.O + o) * g.L() + l] += pb[o];
    }
    return y;
}

Tensor conv_dx_raw(const Tensor& gy, const Tensor& w_in, const Geometry& g) {
    if (conv_direct::takes_input_grad(g) && !takes_dense(g)) return conv_direct::input_grad(gy, w_in, g);
    const Tensor w = open_taps(w_in, g);
    if (takes_dense(g)) {
        Tensor dx = Tensor::empty({g.N, g.C, g.H, g.W});
        for_batch_rows(g.N, [&](int64_t n0, int64_t rows) {
            gemm(false, false, rows, g.K(), g.O, 1.0f, gy.data() + n0 * g.O, g.O, w.data(), g.K(), 0.0f,
                 dx.data() + n0 * g.K(), g.K());
        });
        return dx;
    }
    Tensor dx = Tensor::zeros({g.N, g.C, g.H, g.W});
    const float* pg = gy.data();
    const float* pw = w.data();
    float* pdx = dx.data();
    Chunking ch(g, /*full_width=*/true);
    for_chunks(g, ch, [&](int64_t c, Scratch& s) {
        const int64_t n0 = c * ch.nb, cnt = std::min(ch.nb, g.N - n0), ld = ch.nb * g.L();
        for (int64_t gi = 0; gi < g.G; ++gi) {
            gather_rows(g, pg, n0, cnt, gi, s.out.data(), ld);
            zero_columns(s.out.data(), g.Og(), cnt * g.L(), ld);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, g.K(), ld, g.Og(), 1.0f,
                        pw + gi * g.Og() * g.K(), g.K(), s.out.data(), ld, 0.0f, s.col.data(), ld);
            for (int64_t k = 0; k < cnt; ++k)
                col2im(g, s.col.data() + k * g.L(), ld, pdx + ((n0 + k) * g.C + gi * g.Cg()) * g.H * g.W);
        }
    });
    return dx;
}

Tensor conv_dw_other(const Tensor& x, const Tensor& gy, const Geometry& g);

Tensor conv_dw_raw(const Tensor& x, const Tensor& gy, const Geometry& g) {
    if (conv_direct::takes(g) && !takes_dense(g)) return conv_direct::weight_grad(x, gy, g);
    return open_taps(conv_dw_other(x, gy, g), g);
}

// The weight gradient by the dense or the im2col path (all taps).
Tensor conv_dw_other(const Tensor& x, const Tensor& gy, const Geometry& g) {
    if (takes_dense(g)) {
        Tensor dw = Tensor::empty({g.O, g.C, g.kh, g.kw});
        gemm(true, false, g.O, g.K(), g.N, 1.0f, gy.data(), g.O, x.data(), g.K(), 0.0f, dw.data(), g.K());
        return dw;
    }
    Chunking ch(g, /*full_width=*/false);
    // Partial sums per fixed group of chunks (at most 8, set by the shape alone), each
    // group summed in chunk order by one thread, the groups added to dw in group order:
    // the result does not depend on the thread count or on scheduling. One partial buffer
    // per thread, not per group (DCGAN's 256->128 layer: 4 MB instead of 12 MB at 1 thread).
    const int64_t groups = std::min<int64_t>(ch.chunks, 8), wsize = g.O * g.K();
    const int threads = threads_for(groups);
    std::vector<Scratch> scratch = scratch_for(g, ch, threads);
    std::vector<std::vector<float>> partial(threads, std::vector<float>(wsize));
    Tensor dw = Tensor::zeros({g.O, g.Cg(), g.kh, g.kw});
    float* pdw = dw.data();
    const float* px = x.data();
    const float* pg = gy.data();
    auto run_group = [&](int64_t group, int t) {
        Scratch& s = scratch[t];
        float* part = partial[t].data();
        std::fill(part, part + wsize, 0.0f);
        for (int64_t c = group * ch.chunks / groups; c < (group + 1) * ch.chunks / groups; ++c) {
            const int64_t n0 = c * ch.nb, cnt = std::min(ch.nb, g.N - n0), ld = cnt * g.L();
            for (int64_t gi = 0; gi < g.G; ++gi) {
                for (int64_t k = 0; k < cnt; ++k)
                    im2col(g, px + ((n0 + k) * g.C + gi * g.Cg()) * g.H * g.W, s.col.data() + k * g.L(), ld);
                gather_rows(g, pg, n0, cnt, gi, s.out.data(), ld);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, g.Og(), g.K(), ld, 1.0f, s.out.data(), ld,
                            s.col.data(), ld, 1.0f, part + gi * g.Og() * g.K(), g.K());
            }
        }
    };
    auto add_in_order = [&](int t) {
        for (int64_t i = 0; i < wsize; ++i) pdw[i] += partial[t][i];
    };
    if (threads <= 1) {
        for (int64_t group = 0; group < groups; ++group) run_group(group, 0), add_in_order(0);
    } else {
#pragma omp parallel for num_threads(threads) schedule(static, 1) ordered
        for (int64_t group = 0; group < groups; ++group) {
            const int t = omp_get_thread_num();
            run_group(group, t);
#pragma omp ordered
            add_in_order(t);
        }
    }
    return dw;
}

// The three mutually-adjoint ops. xs/ws: the shapes of x and w (fix the geometry).
// conv_op adds its (optional) bias in the same pass over the output.
Tensor conv_op(const Tensor& x, const Tensor& w, const Tensor& bias, Conv2dOptions o);
Tensor conv_dx_op(const Tensor& gy, const Tensor& w, Conv2dOptions o, const Shape& xs);
Tensor conv_dw_op(const Tensor& x, const Tensor& gy, Conv2dOptions o, const Shape& ws);

Tensor conv_op(const Tensor& x, const Tensor& w, const Tensor& bias, Conv2dOptions o) {
    Geometry g = geometry("conv2d", x.shape(), w.shape(), o);
    if (bias.defined() && (bias.dim() != 1 || bias.size(0) != g.O))
        shape_error(shapes_message("conv2d", w.shape(), bias.shape(), "(weight, bias) do not match: bias must be [Cout]"));
    Tensor y = conv_forward_raw(x, w, bias, g);
    return record("conv2d", y, {x, w, bias}, [x, w, bias, o](const Tensor& gy) {
        return std::vector<Tensor>{x.requires_grad() ? conv_dx_op(gy, w, o, x.shape()) : Tensor(),
                                   w.requires_grad() ? conv_dw_op(x, gy, o, w.shape()) : Tensor(),
                                   bias.defined() && bias.requires_grad() ? sum(gy, {0, 2, 3}) : Tensor()};
    });
}

Tensor conv_dx_op(const Tensor& gy, const Tensor& w, Conv2dOptions o, const Shape& xs) {
    Geometry g = geometry("conv_transpose2d", xs, w.shape(), o);
    if (gy.shape() != Shape{g.N, g.O, g.Ho, g.Wo})
        shape_error(shapes_message("conv_transpose2d", gy.shape(), w.shape(), "(input, weight) do not match: input channels must equal weight[0]"));
    Tensor dx = conv_dx_raw(gy, w, g);
    return record("conv_dx", dx, {gy, w}, [gy, w, o](const Tensor& gz) {
        return std::vector<Tensor>{gy.requires_grad() ? conv_op(gz, w, Tensor(), o) : Tensor(),
                                   w.requires_grad() ? conv_dw_op(gz, gy, o, w.shape()) : Tensor()};
    });
}

Tensor conv_dw_op(const Tensor& x, const Tensor& gy, Conv2dOptions o, const Shape& ws) {
    Geometry g = geometry("conv2d weight grad", x.shape(), ws, o);
    Tensor dw = conv_dw_raw(x, gy, g);
    return record("conv_dw", dw, {x, gy}, [x, gy, o](const Tensor& gz) {
        return std::vector<Tensor>{x.requires_grad() ? conv_dx_op(gy, gz, o, x.shape()) : Tensor(),
                                   gy.requires_grad() ? conv_op(x, gz, Tensor(), o) : Tensor()};
    });
}

Tensor add_channel_bias(const Tensor& y, const Tensor& bias, const char* op) {
    if (!bias.defined()) return y;
    if (bias.dim() != 1 || bias.size(0) != y.size(1))
        shape_error(shapes_message(op, y.shape(), bias.shape(), "(output, bias) do not match: bias must be [Cout]"));
    return y + reshape(bias, {1, bias.size(0), 1, 1});
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Conv2dOptions options) {
    return conv_op(x, weight, bias, options);
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, ConvTranspose2dOptions o) {
    if (x.dim() != 4 || weight.dim() != 4)
        shape_error(shapes_message("conv_transpose2d", x.shape(), weight.shape(), "(input, weight) must be [N,Cin,H,W] and [Cin,Cout/groups,kh,kw]"));
    if (x.size(1) != weight.size(0))
        shape_error(shapes_message("conv_transpose2d", x.shape(), weight.shape(), "(input, weight) do not match: input channels must equal weight[0]"));
    // PyTorch also takes stride <= output_padding < dilation; not here: the conv this is
    // the adjoint of would then have more output rows than x has.
    if (o.output_padding < 0 || o.output_padding >= o.stride)
        shape_error("conv_transpose2d: output_padding " + std::to_string(o.output_padding) + " must be in [0, stride = " +
                    std::to_string(o.stride) + ")");
    // The output is the input of the conv whose adjoint this is.
    int64_t H = (x.size(2) - 1) * o.stride - 2 * o.padding + o.dilation * (weight.size(2) - 1) + o.output_padding + 1;
    int64_t W = (x.size(3) - 1) * o.stride - 2 * o.padding + o.dilation * (weight.size(3) - 1) + o.output_padding + 1;
    if (H < 1 || W < 1) shape_error("conv_transpose2d: padding leaves an empty output for input " + x.shape_str());
    Shape xs{x.size(0), weight.size(1) * o.groups, H, W};
    Tensor y = conv_dx_op(x, weight, Conv2dOptions{o.stride, o.padding, o.dilation, o.groups}, xs);
    return add_channel_bias(y, bias, "conv_transpose2d");
}

Tensor conv_mask(ConvMask type, int64_t out_channels, int64_t in_channels, int64_t kh, int64_t kw) {
    Tensor m = Tensor::ones({out_channels, in_channels, kh, kw});
    float* p = m.data();
    for (int64_t o = 0; o < out_channels * in_channels; ++o)
        for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
                bool below = i > kh / 2;
                bool right = i == kh / 2 && (type == ConvMask::A ? j >= kw / 2 : j > kw / 2);
                if (below || right) p[(o * kh + i) * kw + j] = 0.0f;
            }
    return m;
}

Tensor masked_conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, ConvMask type, Conv2dOptions options) {
    if (weight.dim() != 4) shape_error("masked_conv2d: weight must be [Cout,Cin/groups,kh,kw], got " + weight.shape_str());
    const int64_t kh = weight.size(2), kw = weight.size(3);
    if (kh * kw > 64) return conv2d(x, weight * conv_mask(type, weight.size(0), weight.size(1), kh, kw), bias, options);
    // The mask is the same for every channel pair: the taps option says it, and the
    // stride-1 kernels skip the hidden taps instead of multiplying them by zero.
    const std::vector<float> m = conv_mask(type, 1, 1, kh, kw).to_vector();
    options.taps = 0;
    for (int64_t t = 0; t < kh * kw; ++t)
        if (m[t] != 0.0f) options.taps |= uint64_t(1) << t;
    if (options.taps == 0) return conv2d(x, weight * 0.0f, bias, options);  // a 1x1 mask A: nothing open
    return conv2d(x, weight, bias, options);
}

}  // namespace genhost::engine
