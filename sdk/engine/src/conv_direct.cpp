// Direct stride-1 convolution: pad each sample once into a flat buffer, run the vector
// kernels (simd/conv_kernels.hpp), drop the wrapped-around columns.
//
// The input gradient of a stride-1 convolution is itself one: the flipped kernel,
// transposed in channels, over gy padded by dilation * (k - 1) - padding. So the same
// forward kernel serves both, and only the weight gradient has its own.
#include "conv_direct.hpp"

#include <algorithm>
#include <atomic>
#include <vector>

#include "kernels.hpp"
#include "simd/conv_kernels.hpp"

namespace genhost::engine::conv_direct {

namespace {

std::atomic<bool> g_enabled{true};

// One stride-1 convolution as the kernels see it: channels of in_h x in_w, padded by
// (ph, pw) into rows of Wp, flattened; Q output positions per channel (out_h rows of Wp,
// rounded up to whole vectors); S floats per padded channel, enough for the last tap.
// taps: the offsets of the kernel taps in use, ascending (a masked kernel skips some).
struct Plan {
    int64_t in_h, in_w, ph, pw, Wp, out_h, out_w, Q, S;
    std::vector<int64_t> taps;
};

// used: the kernel's taps (ki * kw + kj) in use, ascending; flipped: the input
// gradient's kernel, whose tap t sits where tap T - 1 - t of the kernel does.
Plan make_plan(int64_t in_h, int64_t in_w, int64_t ph, int64_t pw, int64_t kh, int64_t kw, int64_t d,
               const std::vector<int64_t>& used, bool flipped) {
    Plan p{in_h, in_w, ph, pw, in_w + 2 * pw, 0, 0, 0, 0, {}};
    const int64_t Hp = in_h + 2 * ph, T = kh * kw;
    p.out_h = Hp - d * (kh - 1);
    p.out_w = p.Wp - d * (kw - 1);
    for (size_t j = 0; j < used.size(); ++j) {
        const int64_t t = flipped ? T - 1 - used[used.size() - 1 - j] : used[j];
        p.taps.push_back(t / kw * d * p.Wp + t % kw * d);
    }
    const int64_t width = simd::conv_kernels().width;
    p.Q = (p.out_h * p.Wp + width - 1) / width * width;
    p.S = p.Q + (kh - 1) * d * p.Wp + (kw - 1) * d;  // >= Hp * Wp, since out_h + d * (kh - 1) = Hp
    return p;
}

// The taps of g in use (all unless Conv2dOptions::taps says otherwise), ascending.
std::vector<int64_t> used_taps(const ConvGeometry& g) {
    std::vector<int64_t> used;
    for (int64_t t = 0; t < g.kh * g.kw; ++t)
        if (g.open(t)) used.push_back(t);
    return used;
}

// Copies channels [ch, in_h, in_w] into the interiors of pad [ch][S]; borders stay zero.
void pad_into(const float* x, int64_t ch, const Plan& p, float* pad) {
    // Rows are short (7 to 32 floats): a loop the compiler vectorises beats a memcpy call.
    for (int64_t c = 0; c < ch; ++c)
        for (int64_t i = 0; i < p.in_h; ++i) {
            const float* src = x + (c * p.in_h + i) * p.in_w;
            float* dst = pad + c * p.S + (i + p.ph) * p.Wp + p.pw;
            for (int64_t j = 0; j < p.in_w; ++j) dst[j] = src[j];
        }
}

// out [ch][Q] (rows of Wp) -> y [ch][out_h][out_w], plus bias[c] if there is one.
void compact(const float* out, int64_t ch, const Plan& p, const float* bias, float* y) {
    for (int64_t c = 0; c < ch; ++c) {
        const float b = bias ? bias[c] : 0.0f;
        for (int64_t i = 0; i < p.out_h; ++i) {
            const float* src = out + c * p.Q + i * p.Wp;
            float* dst = y + (c * p.out_h + i) * p.out_w;
            for (int64_t j = 0; j < p.out_w; ++j) dst[j] = src[j] + b;
        }
    }
}

// The kernels' weight layout (simd/conv_kernels.hpp) for each group of w [G * Og][Cg][T],
// the taps in `used` only (in the order of make_plan's taps). transposed: the input
// gradient's kernel instead, Cg outputs from Og inputs with the taps flipped.
std::vector<float> pack_weights(const float* w, int64_t G, int64_t Og, int64_t Cg, int64_t T,
                                const std::vector<int64_t>& used, bool transposed) {
    const int64_t B = simd::conv_kernels().out_block, U = static_cast<int64_t>(used.size());
    const int64_t outs = transposed ? Cg : Og, ins = transposed ? Og : Cg;
    const int64_t per_group = (outs + B - 1) / B * B * ins * U;
    std::vector<float> packed(G * per_group, 0.0f);
    for (int64_t gi = 0; gi < G; ++gi)
        for (int64_t o = 0; o < Og; ++o)
            for (int64_t c = 0; c < Cg; ++c)
                for (int64_t j = 0; j < U; ++j) {
                    const int64_t out = transposed ? c : o, in = transposed ? o : c, tap = transposed ? U - 1 - j : j;
                    packed[gi * per_group + ((out / B * ins + in) * U + tap) * B + out % B] =
                        w[((gi * Og + o) * Cg + c) * T + used[j]];
                }
    return packed;
}

// y [N, G * cout, out_h, out_w] = the convolution of in [N, G * cin, in_h, in_w] with
// weights from pack_weights, plus bias [G * cout] if not null.
void run_forward(const float* in, int64_t N, int64_t G, int64_t cin, int64_t cout, const Plan& p,
                 const float* wpack, const float* bias, float* y) {
    const auto& k = simd::conv_kernels();
    const int64_t T = static_cast<int64_t>(p.taps.size());
    const int64_t group_size = (cout + k.out_block - 1) / k.out_block * k.out_block * cin * T;  // in wpack
    const int threads = threads_for(N);
    std::vector<std::vector<float>> pad(threads, std::vector<float>(G * cin * p.S, 0.0f));
    std::vector<std::vector<float>> out(threads, std::vector<float>(cout * p.Q));
    for_each_item(N, threads, [&](int64_t n, int t) {
        pad_into(in + n * G * cin * p.in_h * p.in_w, G * cin, p, pad[t].data());
        for (int64_t gi = 0; gi < G; ++gi) {
            k.forward(pad[t].data() + gi * cin * p.S, cin, p.S, wpack + gi * group_size, cout,
                      p.taps.data(), T, out[t].data(), p.Q);
            compact(out[t].data(), cout, p, bias ? bias + gi * cout : nullptr, y + (n * G + gi) * cout * p.out_h * p.out_w);
        }
    });
}

}  // namespace

bool takes(const ConvGeometry& g) {
    // A 1x1 kernel with many output channels is a plain GEMM per sample, where OpenBLAS
    // measured faster (PixelCNN's 64->256 output layer: weight gradient 10 ms vs 16 ms).
    const bool wide_pointwise = g.kh == 1 && g.kw == 1 && g.p == 0 && g.taps == 0 && g.Og() >= 128;
    return g_enabled && g.s == 1 && !wide_pointwise;
}

bool takes_input_grad(const ConvGeometry& g) {
    return takes(g) && g.p <= g.d * (g.kh - 1) && g.p <= g.d * (g.kw - 1);
}

void set_enabled(bool enabled) { g_enabled = enabled; }
bool enabled() { return g_enabled; }

Tensor forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g) {
    const std::vector<int64_t> used = used_taps(g);
    const Plan p = make_plan(g.H, g.W, g.p, g.p, g.kh, g.kw, g.d, used, false);
    const int64_t T = g.kh * g.kw, Cg = g.Cg(), Og = g.Og();
    const std::vector<float> wpack = pack_weights(w.data(), g.G, Og, Cg, T, used, false);
    Tensor y = Tensor::empty({g.N, g.O, g.Ho, g.Wo});
    run_forward(x.data(), g.N, g.G, Cg, Og, p, wpack.data(), bias.defined() ? bias.data() : nullptr, y.data());
    return y;
}

Tensor input_grad(const Tensor& gy, const Tensor& w, const ConvGeometry& g) {
    const std::vector<int64_t> used = used_taps(g);
    const Plan p = make_plan(g.Ho, g.Wo, g.d * (g.kh - 1) - g.p, g.d * (g.kw - 1) - g.p, g.kh, g.kw, g.d, used, true);
    const int64_t T = g.kh * g.kw, Cg = g.Cg(), Og = g.Og();
    const std::vector<float> wpack = pack_weights(w.data(), g.G, Og, Cg, T, used, true);
    Tensor dx = Tensor::empty({g.N, g.C, g.H, g.W});
    run_forward(gy.data(), g.N, g.G, Og, Cg, p, wpack.data(), nullptr, dx.data());
    return dx;
}

Tensor weight_grad(const Tensor& x, const Tensor& gy, const ConvGeometry& g) {
    const auto& k = simd::conv_kernels();
    const std::vector<int64_t> used = used_taps(g);
    const Plan p = make_plan(g.H, g.W, g.p, g.p, g.kh, g.kw, g.d, used, false);
    const int64_t T = static_cast<int64_t>(used.size()), Tk = g.kh * g.kw, Cg = g.Cg(), Og = g.Og(), L = g.Ho * g.Wo;
    const int64_t Op = (Og + k.width - 1) / k.width * k.width;     // output channels, whole vectors
    const int64_t GB = std::min<int64_t>(k.grad_block, Op);          // gT's blocks (conv_kernels.hpp)
    const int64_t Ob = (Op + GB - 1) / GB * GB;                      // in whole blocks
    const int64_t part = g.G * Cg * T * Op;                      // one dwT [G][Cg * T][Op]
    // Samples in chunks fixed by N alone, each with its own partial sum, added in chunk
    // order: the result does not depend on the thread count or on scheduling.
    const int64_t per_chunk = std::max<int64_t>(1, (g.N + 7) / 8), chunks = (g.N + per_chunk - 1) / per_chunk;
    const int threads = threads_for(chunks);
    const int64_t xs = g.C * p.S;
    std::vector<std::vector<float>> pad(threads, std::vector<float>(per_chunk * xs, 0.0f));
    std::vector<std::vector<float>> gT(threads, std::vector<float>(per_chunk * L * Ob, 0.0f));
    std::vector<float> partial(chunks * part, 0.0f);
    const float* px = x.data();
    const float* pg = gy.data();
    for_each_item(chunks, threads, [&](int64_t chunk, int t) {
        const int64_t n0 = chunk * per_chunk, count = std::min(g.N, n0 + per_chunk) - n0;
        for (int64_t j = 0; j < count; ++j) pad_into(px + (n0 + j) * g.C * g.H * g.W, g.C, p, pad[t].data() + j * xs);
        for (int64_t gi = 0; gi < g.G; ++gi) {
            // gT[b][n][l][o % GB] = gy[n0 + n][gi * Og + o][l] for o in block b: output
            // channels innermost. In tiles of 16 positions: the block's GB source rows stay
            // in cache while each position's GB channels are written contiguously (strided
            // writes instead, one cache line per float, took 3x as long).
            float* tr = gT[t].data();
            for (int64_t j = 0; j < count; ++j)
                for (int64_t b0 = 0; b0 < Og; b0 += GB) {
                    const int64_t bn = std::min(GB, Og - b0);
                    const float* src = pg + ((n0 + j) * g.O + gi * Og + b0) * L;
                    float* dst = tr + (b0 / GB * count + j) * L * GB;
                    for (int64_t l0 = 0; l0 < L; l0 += 16) {
                        const int64_t l1 = std::min(L, l0 + 16);
                        for (int64_t l = l0; l < l1; ++l)
                            for (int64_t o = 0; o < bn; ++o) dst[l * GB + o] = src[o * L + l];
                    }
                }
            k.weight_grad(tr, Op, pad[t].data() + gi * Cg * p.S, xs, Cg, p.S, p.taps.data(), T, count, g.Ho, g.Wo,
                          p.Wp, partial.data() + chunk * part + gi * Cg * T * Op);
        }
    });
    // dw[gi * Og + o][c][used[j]] = sum over chunks of dwT[gi][c * T + j][o]; unused taps 0.
    Tensor dw = Tensor::zeros({g.O, Cg, g.kh, g.kw});
    float* pdw = dw.data();
    for (int64_t chunk = 0; chunk < chunks; ++chunk)
        for (int64_t gi = 0; gi < g.G; ++gi)
            for (int64_t ct = 0; ct < Cg * T; ++ct) {
                const float* row = partial.data() + chunk * part + (gi * Cg * T + ct) * Op;
                const int64_t at = ct / T * Tk + used[ct % T];
                for (int64_t o = 0; o < Og; ++o) pdw[(gi * Og + o) * Cg * Tk + at] += row[o];
            }
    return dw;
}

}  // namespace genhost::engine::conv_direct
