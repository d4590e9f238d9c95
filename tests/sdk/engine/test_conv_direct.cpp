// The direct convolution (sdk/engine/src/conv_direct.cpp) and the one-output-position
// GEMMs (conv.cpp) against the im2col path (itself checked against PyTorch in
// test_layers.cpp), over the geometries whose edges the kernels' blocking meets: channel
// counts around the register blocks, image widths around the vector width, every kernel
// shape, padding and stride the U-Net, VAE, DCGAN and PixelCNN use. CTest runs it once per instruction set (GENHOST_ENGINE_ISA).
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "conv_direct.hpp"
#include "genhost/engine/engine.hpp"
#include "simd/isa.hpp"

using namespace genhost::engine;

namespace {

struct Case {
    int64_t n, c, o, h, w, kh, kw, padding, dilation, groups, stride = 1;
};

struct Result {
    std::vector<float> y, dx, dw;
};

Result run(const Case& k, bool direct) {
    conv_direct::set_enabled(direct);
    Generator g(7);
    Tensor x = g.normal({k.n, k.c, k.h, k.w}).set_requires_grad(true);
    Tensor w = g.normal({k.o, k.c / k.groups, k.kh, k.kw}).set_requires_grad(true);
    Tensor y = conv2d(x, w, Tensor(), {k.stride, k.padding, k.dilation, k.groups});
    Tensor go = g.normal(y.shape());
    sum(y * go).backward();
    conv_direct::set_enabled(true);
    return {y.to_vector(), x.grad().to_vector(), w.grad().to_vector()};
}

// Largest |a - b| / (1 + |b|): float sums of up to 1568 products, in another order.
double max_error(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    double e = 0;
    for (size_t i = 0; i < a.size(); ++i) e = std::max(e, std::abs(double(a[i]) - b[i]) / (1.0 + std::abs(b[i])));
    return e;
}

}  // namespace

TEST_CASE("direct convolution equals the im2col path", "[engine][conv]") {
    INFO("instruction set: " << simd::isa_name(simd::active_isa()));
    const Case cases[] = {
        {2, 16, 16, 28, 28, 3, 3, 1, 1, 1},  // U-Net level 0
        {3, 32, 33, 14, 14, 3, 3, 1, 1, 1},  // output channels past a register block
        {2, 32, 32, 7, 7, 3, 3, 1, 1, 1},    // 7x7: one padded row short of a vector
        {2, 1, 16, 28, 28, 3, 3, 1, 1, 1},   // the first conv of a U-Net
        {2, 16, 1, 28, 28, 3, 3, 1, 1, 1},   // and its last
        {2, 24, 12, 9, 5, 1, 1, 0, 1, 1},    // 1x1 (shortcuts)
        {1, 5, 6, 6, 9, 3, 2, 1, 1, 1},      // non-square kernel
        {2, 3, 8, 11, 13, 5, 5, 2, 1, 1},    // 5x5 same
        {2, 4, 6, 10, 10, 3, 3, 2, 2, 2},    // dilation and groups
        {2, 3, 4, 5, 6, 3, 3, 3, 1, 1},      // padding beyond the kernel: dx via im2col
        {17, 8, 8, 4, 4, 3, 3, 0, 1, 1},     // no padding; samples not a multiple of chunks
        // One output position, as three GEMMs (DCGAN: G's 7x7 layer on a 1x1 input is the
        // input gradient of the first, D's last layer the forward of the second):
        {3, 12, 17, 7, 7, 7, 7, 0, 1, 1},
        {4, 20, 3, 5, 3, 5, 3, 0, 1, 1},
        {5, 7, 9, 1, 1, 1, 1, 0, 1, 1},
        // Strides (im2col):
        {2, 16, 16, 28, 28, 3, 3, 1, 1, 1, 2},  // U-Net downsampling 28 -> 14
        {2, 32, 32, 7, 7, 3, 3, 1, 1, 1, 2},    // odd size 7 -> 4
        {2, 3, 8, 28, 28, 4, 4, 1, 1, 1, 2},    // DCGAN critic k4 s2 p1
        {2, 4, 6, 11, 10, 5, 5, 2, 1, 2, 3},    // stride 3, groups
        {1, 2, 3, 9, 8, 3, 2, 0, 1, 1, 2},      // no padding, non-square kernel
        {2, 3, 4, 6, 6, 3, 3, 1, 2, 1, 2},      // stride with dilation: im2col
    };
    for (const Case& k : cases) {
        std::ostringstream name;
        name << "N" << k.n << " C" << k.c << " O" << k.o << " " << k.h << "x" << k.w << " k" << k.kh << "x" << k.kw
             << " p" << k.padding << " d" << k.dilation << " g" << k.groups << " s" << k.stride;
        INFO(name.str());
        const Result direct = run(k, true), im2col = run(k, false);
        CHECK(max_error(direct.y, im2col.y) < 1e-4);
        CHECK(max_error(direct.dx, im2col.dx) < 1e-4);
        CHECK(max_error(direct.dw, im2col.dw) < 1e-4);
    }
}

TEST_CASE("convolution gives the same result at any thread count", "[engine][conv]") {
    // Direct, one output position (GEMMs split over threads) and the im2col path of strides.
    for (const Case& k : {Case{13, 8, 16, 9, 9, 3, 3, 1, 1, 1}, Case{70, 64, 130, 7, 7, 7, 7, 0, 1, 1},
                          Case{6, 4, 6, 13, 11, 3, 3, 1, 1, 2, 2}, Case{6, 8, 2, 38, 32, 6, 3, 3, 2, 1, 3}}) {
        INFO("N" << k.n << " C" << k.c << " stride " << k.stride << " dilation " << k.dilation);
        set_num_threads(1);
        const Result one = run(k, true);
        set_num_threads(2);
        const Result two = run(k, true);
        CHECK(one.y == two.y);
        CHECK(one.dx == two.dx);
        CHECK(one.dw == two.dw);  // partial sums over fixed chunks, added in order
    }
}

TEST_CASE("a sample's convolution output does not depend on the rest of its batch", "[engine][conv]") {
    // Sampling in batches of any size must give the same images, bit for bit: the paths
    // that put several samples in one GEMM (strides, transposed) run GEMMs of one width.
    struct T { int64_t c, o, h, k, stride, padding; bool transposed; };
    for (const T& t : {T{16, 16, 28, 3, 2, 1, false}, T{64, 128, 14, 4, 2, 1, false}, T{256, 128, 7, 4, 2, 1, true},
                       T{128, 1, 14, 4, 2, 1, true}, T{100, 256, 1, 7, 1, 0, true}, T{8, 8, 9, 3, 1, 1, false}}) {
        INFO("C" << t.c << " O" << t.o << " " << t.h << "x" << t.h << " k" << t.k << " s" << t.stride
                 << (t.transposed ? " transposed" : ""));
        Generator g(3);
        Tensor x = g.normal({5, t.c, t.h, t.h});
        Tensor w = t.transposed ? g.normal({t.c, t.o, t.k, t.k}) : g.normal({t.o, t.c, t.k, t.k});
        NoGradGuard no_grad;
        auto conv = [&](const Tensor& xi) {
            return t.transposed ? conv_transpose2d(xi, w, Tensor(), ConvTranspose2dOptions{t.stride, t.padding})
                                : conv2d(xi, w, Tensor(), Conv2dOptions{t.stride, t.padding});
        };
        const std::vector<float> all = conv(x).to_vector();
        const int64_t per = static_cast<int64_t>(all.size()) / 5;
        for (int64_t n : {0, 2, 4}) {  // alone
            const std::vector<float> alone = conv(slice(x, 0, n, n + 1)).to_vector();
            CHECK(std::equal(alone.begin(), alone.end(), all.begin() + n * per));
        }
        for (int64_t n : {1, 3}) {  // second of a batch of two
            const std::vector<float> pair = conv(slice(x, 0, n - 1, n + 1)).to_vector();
            CHECK(std::equal(pair.begin() + per, pair.end(), all.begin() + n * per));
        }
    }
}

TEST_CASE("Conv2dOptions::taps is a convolution with the other taps' weights zero", "[engine][conv]") {
    // y = conv(x, w * M), dx likewise, dw = M * dconv/dw: whether the stride-1 kernels skip
    // the closed taps or the other paths multiply them by zero.
    struct T { Case k; uint64_t taps; };
    const T cases[] = {
        {{2, 16, 16, 9, 9, 3, 3, 1, 1, 1}, 0x1f},          // PixelCNN mask B, 3x3
        {{2, 1, 16, 10, 7, 7, 7, 3, 1, 1}, (1ull << 24) - 1},  // mask A, 7x7
        {{2, 4, 6, 8, 8, 3, 3, 1, 1, 2}, 0x155},           // scattered taps, groups
        {{2, 3, 5, 9, 9, 3, 3, 1, 1, 1, 2}, 0x0f},         // strided: im2col
        {{3, 5, 4, 3, 3, 3, 3, 0, 1, 1}, 0x1b},            // one output position: GEMM
    };
    for (bool direct : {true, false})
        for (const T& t : cases) {
            const Case& k = t.k;
            INFO("N" << k.n << " C" << k.c << " O" << k.o << " k" << k.kh << " s" << k.stride << " taps " << t.taps
                     << (direct ? " direct" : " im2col"));
            conv_direct::set_enabled(direct);
            Generator g(11);
            Tensor x = g.normal({k.n, k.c, k.h, k.w}).set_requires_grad(true);
            Tensor w = g.normal({k.o, k.c / k.groups, k.kh, k.kw}).set_requires_grad(true);
            std::vector<float> mv(static_cast<size_t>(k.kh * k.kw));
            for (size_t i = 0; i < mv.size(); ++i) mv[i] = (t.taps >> i & 1) ? 1.0f : 0.0f;
            const Tensor m = Tensor::from_vector({1, 1, k.kh, k.kw}, mv);
            const Conv2dOptions plain{k.stride, k.padding, k.dilation, k.groups};
            Conv2dOptions skip = plain;
            skip.taps = t.taps;
            Tensor y1 = conv2d(x, w, Tensor(), skip), y2 = conv2d(x, w * m, Tensor(), plain);
            Tensor go = g.normal(y1.shape());
            std::vector<Tensor> g1 = grad({sum(y1 * go)}, {x, w}), g2 = grad({sum(y2 * go)}, {x, w});
            conv_direct::set_enabled(true);
            CHECK(max_error(y1.to_vector(), y2.to_vector()) < 1e-5);
            CHECK(max_error(g1[0].to_vector(), g2[0].to_vector()) < 1e-5);
            CHECK(max_error(g1[1].to_vector(), g2[1].to_vector()) < 1e-5);
        }
    CHECK_THROWS_WITH(conv2d(Tensor::ones({1, 1, 4, 4}), Tensor::ones({1, 1, 3, 3}), Tensor(), {1, 1, 1, 1, 1ull << 9}),
                      Catch::Contains("taps selects taps past the kernel's 9"));
}
