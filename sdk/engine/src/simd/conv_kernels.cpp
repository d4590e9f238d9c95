// Register-blocked direct convolution (see conv_kernels.hpp), built once per ISA.
//
// forward: a block of OB output channels x PB vectors of positions lives in registers;
// for every (channel, tap) it loads PB input vectors and one weight per output channel,
// and does OB * PB fused multiply-adds. weight_grad: a block of NB (channel, tap) columns
// x OV vectors of output channels; for every position it loads OV gradient vectors and
// broadcasts one input value per column, and adds each sample's sums into dwT.
#include "simd/conv_kernels.hpp"

#include <utility>

#include "simd/vec.hpp"

namespace genhost::engine::simd::GENHOST_SIMD_NS {

namespace {

// Nothing from the standard library that emits code: an inline function compiled here
// with -mavx512f could be the copy the linker keeps for the whole program.
constexpr int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// Block sizes: accumulators + operands must fit the register file.
#if defined(__AVX512F__)
constexpr int kFwdOB = 8, kFwdPB = 3;   // 24 accumulators + 3 inputs + 1 weight of 32
constexpr int kDwOV = 2, kDwNB = 12;    // 24 accumulators + 2 gradients + 1 input
#else
constexpr int kFwdOB = 4, kFwdPB = 2;   // 8 + 2 + 1 of 16
constexpr int kDwOV = 2, kDwNB = 6;     // 12 + 2 + 1 of 16
#endif
constexpr int kGradBlock = kDwOV * kWidth;  // output channels per gT block

// w: this block's packed weights [C][T][kFwdOB].
// accumulate: add to out (a later block of input channels) instead of overwriting it.
template <int OB, int PB>
void forward_block(const float* x, int64_t C, int64_t S, const float* w, const int64_t* taps, int64_t T,
                   float* out, int64_t Q, bool accumulate) {
    vf acc[OB][PB];
    for (int i = 0; i < OB; ++i)
        for (int j = 0; j < PB; ++j) acc[i][j] = accumulate ? load(out + i * Q + j * kWidth) : vf{};
    for (int64_t c = 0; c < C; ++c) {
        const float* xc = x + c * S;
        const float* wc = w + c * T * kFwdOB;
        for (int64_t t = 0; t < T; ++t) {
            const float* xt = xc + taps[t];
            const float* wt = wc + t * kFwdOB;
            vf in[PB];
            for (int j = 0; j < PB; ++j) in[j] = load(xt + j * kWidth);
            for (int i = 0; i < OB; ++i) {
                const vf wi = splat(wt[i]);
                for (int j = 0; j < PB; ++j) acc[i][j] += wi * in[j];
            }
        }
    }
    for (int i = 0; i < OB; ++i)
        for (int j = 0; j < PB; ++j) store(out + i * Q + j * kWidth, acc[i][j]);
}

// Columns j are (channel, tap) pairs at offsets cols[j] into a sample's padded input.
// Registers hold NB columns x OV vectors of output channels; g: one block of gT (rows of
// gb floats).
template <int OV, int NB>
void weight_grad_block(const float* g, int64_t gb, int64_t ldo, const float* x, int64_t xs, const int64_t* cols,
                       int64_t count, int64_t rows, int64_t row_len, int64_t Wp, float* dwT) {
    // Each sample's sums go to dwT before the next sample starts: a lane then adds at most
    // one image's positions in sequence (784 at 28x28), which keeps the rounding near
    // that of a blocked GEMM instead of growing with the batch.
    for (int64_t n = 0; n < count; ++n) {
        vf acc[NB][OV];
        for (int j = 0; j < NB; ++j)
            for (int v = 0; v < OV; ++v) acc[j][v] = vf{};
        for (int64_t oh = 0; oh < rows; ++oh) {
            const float* xr = x + n * xs + oh * Wp;
            const float* gr = g + (n * rows + oh) * row_len * gb;
            for (int64_t ow = 0; ow < row_len; ++ow) {
                vf gv[OV];
                for (int v = 0; v < OV; ++v) gv[v] = load(gr + ow * gb + v * kWidth);
                for (int j = 0; j < NB; ++j) {
                    const vf b = splat(xr[cols[j] + ow]);
                    for (int v = 0; v < OV; ++v) acc[j][v] += b * gv[v];
                }
            }
        }
        for (int j = 0; j < NB; ++j)
            for (int v = 0; v < OV; ++v) store(dwT + j * ldo + v * kWidth, load(dwT + j * ldo + v * kWidth) + acc[j][v]);
    }
}

// table.fn[a - 1][b - 1] = kernel<a, b>: remainder blocks get their own unrolled kernel.
template <class Fn, int A, int B>
struct Table {
    Fn fn[A][B];
};
template <int OB, int PB>
struct Forward { static constexpr auto fn = &forward_block<OB, PB>; };
template <int OV, int NB>
struct WeightGrad { static constexpr auto fn = &weight_grad_block<OV, NB>; };

template <template <int, int> class K, int I, class Fn, int... Js>
constexpr void fill_row(Fn* row, std::integer_sequence<int, Js...>) {
    ((row[Js] = K<I + 1, Js + 1>::fn), ...);
}
template <template <int, int> class K, class Fn, int A, int B, int... Is>
constexpr Table<Fn, A, B> make_table(std::integer_sequence<int, Is...>) {
    Table<Fn, A, B> t{};
    (fill_row<K, Is>(t.fn[Is], std::make_integer_sequence<int, B>{}), ...);
    return t;
}

using ForwardFn = void (*)(const float*, int64_t, int64_t, const float*, const int64_t*, int64_t, float*, int64_t, bool);
using WeightGradFn = void (*)(const float*, int64_t, int64_t, const float*, int64_t, const int64_t*, int64_t, int64_t, int64_t, int64_t, float*);

constexpr auto kForward = make_table<Forward, ForwardFn, kFwdOB, kFwdPB>(std::make_integer_sequence<int, kFwdOB>{});
constexpr auto kWeightGrad = make_table<WeightGrad, WeightGradFn, kDwOV, kDwNB>(std::make_integer_sequence<int, kDwOV>{});

void forward(const float* x, int64_t C, int64_t S, const float* w, int64_t O, const int64_t* taps,
             int64_t T, float* out, int64_t Q) {
    const int64_t vectors = Q / kWidth;
    // The input a position block reads, per channel, and the channels per pass: about
    // 8 KB of input, which then stays in L1 while every output block's weights stream
    // past it (64 channels at 14x14 would not: 21 KB, evicted by 147 KB of weights).
    const int64_t window = kFwdPB * kWidth + taps[T - 1];
    const int64_t Cb = min64(C, 2048 / window > 0 ? 2048 / window : 1);
    for (int64_t v0 = 0; v0 < vectors; v0 += kFwdPB) {
        const int pb = static_cast<int>(min64(kFwdPB, vectors - v0));
        for (int64_t c0 = 0; c0 < C; c0 += Cb) {
            const int64_t cb = min64(Cb, C - c0);
            for (int64_t o0 = 0; o0 < O; o0 += kFwdOB) {
                const int ob = static_cast<int>(min64(kFwdOB, O - o0));
                kForward.fn[ob - 1][pb - 1](x + c0 * S + v0 * kWidth, cb, S, w + (o0 * C + c0 * kFwdOB) * T, taps, T,
                                            out + o0 * Q + v0 * kWidth, Q, c0 > 0);
            }
        }
    }
}

void weight_grad(const float* gT, int64_t ldo, const float* x, int64_t xs, int64_t C, int64_t S,
                 const int64_t* taps, int64_t T, int64_t count, int64_t rows, int64_t row_len, int64_t Wp,
                 float* dwT) {
    const int64_t gb = min64(kGradBlock, ldo);  // fewer output channels than a block: one narrower block
    const int64_t N = C * T, vectors = ldo / kWidth, block_size = count * rows * row_len * gb;
    int64_t cols[kDwNB];
    for (int64_t v0 = 0; v0 < vectors; v0 += kDwOV) {
        const int ov = static_cast<int>(min64(kDwOV, vectors - v0));
        const float* g = gT + v0 * kWidth / gb * block_size;
        for (int64_t j0 = 0; j0 < N; j0 += kDwNB) {
            // At most kDwNB columns even with one vector of outputs (room for twice as many
            // accumulators): the column offsets must stay in general-purpose registers, or
            // every broadcast waits for another load.
            const int nb = static_cast<int>(min64(kDwNB, N - j0));
            for (int j = 0; j < nb; ++j) cols[j] = (j0 + j) / T * S + taps[(j0 + j) % T];
            kWeightGrad.fn[ov - 1][nb - 1](g, gb, ldo, x, xs, cols, count, rows, row_len, Wp, dwT + j0 * ldo + v0 * kWidth);
        }
    }
}

}  // namespace

extern const ConvKernels conv_kernels_table{kWidth, kFwdOB, kGradBlock, &forward, &weight_grad};

}  // namespace genhost::engine::simd::GENHOST_SIMD_NS
