// The convolutions of the U-Net and of a DCGAN critic, one thread, batch as given: the
// forward alone, then forward + input gradient and forward + weight gradient (a graph of
// one conv, differentiated for one of its inputs), best of `reps` in CPU time of the
// one thread (robust to other jobs); GFLOP/s of the nominal 2 * N * Cin * Cout * k^2 * Ho * Wo per pass.
// Compare with bench_conv_torch.py (the same shapes in PyTorch, oneDNN):
//   cmake --build build --target engine_bench_conv
//   build/bin/engine_bench_conv [reps] [--im2col] [name]  # --im2col: the engine's old path;
//                                                        # name: only shapes containing it
//   /usr/bin/python3 bench/engine/bench_conv_torch.py [reps]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

#include <genhost/engine/engine.hpp>

#include "conv_direct.hpp"

using namespace genhost::engine;

namespace {

double cpu_ms() {
    timespec t{};
    // This thread's time: OpenBLAS's idle workers spin for a while after start and would be
    // billed to the process.
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

double best_ms(const std::function<void()>& f, int reps) {
    f();  // warm-up: allocations, page faults
    double best = 1e30;
    for (int i = 0; i < reps; ++i) {
        const double c = cpu_ms();
        f();
        best = std::min(best, cpu_ms() - c);
    }
    return best;
}

struct Case {
    const char* name;
    int64_t n, c, o, h, k, stride, padding;
    bool transposed = false;  // conv_transpose2d: x [n, c, h, h], weight [c, o, k, k]
};

}  // namespace

int main(int argc, char** argv) {
    int reps = 10;
    const char* only = "";
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--im2col") == 0) conv_direct::set_enabled(false);
        else if (std::strspn(argv[i], "0123456789") == std::strlen(argv[i])) reps = std::atoi(argv[i]);
        else only = argv[i];
    }
    set_num_threads(1);
    const Case cases[] = {
        {"unet 3x3 16->16 @28x28", 64, 16, 16, 28, 3, 1, 1}, {"unet 3x3 32->32 @14x14", 64, 32, 32, 14, 3, 1, 1},
        {"unet 3x3 32->32 @7x7", 64, 32, 32, 7, 3, 1, 1},    {"3x3 64->64 @14x14 b128", 128, 64, 64, 14, 3, 1, 1},
        {"unet down 3x3 s2 16 @28x28", 64, 16, 16, 28, 3, 2, 1}, {"critic 4x4 s2 64->128 @14x14", 64, 64, 128, 14, 4, 2, 1},
        // The rest of examples/dcgan-fashion.yaml's layers (batch 64): D's first and last, G's three.
        {"dcgan D1 4x4 s2 1->64 @28x28", 64, 1, 64, 28, 4, 2, 1}, {"dcgan D3 7x7 128->1 @7x7", 64, 128, 1, 7, 7, 1, 0},
        {"dcgan G1 T7x7 100->256 @1x1", 64, 100, 256, 1, 7, 1, 0, true},
        {"dcgan G2 T4x4 s2 256->128 @7x7", 64, 256, 128, 7, 4, 2, 1, true},
        {"dcgan G3 T4x4 s2 128->1 @14x14", 64, 128, 1, 14, 4, 2, 1, true},
        // examples/pixelcnn-fashion.yaml (batch 32): the output layers (its 3x3 layers are masked).
        {"pixelcnn 1x1 64->256 @28x28", 32, 64, 256, 28, 1, 1, 0}, {"pixelcnn 1x1 64->64 @28x28", 32, 64, 64, 28, 1, 1, 0},
    };
    std::printf("# engine conv, 1 thread, %s path, best of %d, ms (GFLOP/s)\n",
                conv_direct::enabled() ? "direct" : "im2col", reps);
    std::printf("%-30s %16s %16s %16s\n", "shape", "forward", "fwd + input grad", "fwd + weight grad");
    for (const Case& s : cases) {
        if (!std::strstr(s.name, only)) continue;
        Generator gen(1);
        Tensor x = gen.normal({s.n, s.c, s.h, s.h});
        Tensor w = s.transposed ? gen.normal({s.c, s.o, s.k, s.k}) : gen.normal({s.o, s.c, s.k, s.k});
        const Conv2dOptions opt{s.stride, s.padding};
        auto conv = [&](const Tensor& xi, const Tensor& wi) {
            return s.transposed ? conv_transpose2d(xi, wi, Tensor(), ConvTranspose2dOptions{s.stride, s.padding})
                                : conv2d(xi, wi, Tensor(), opt);
        };
        Tensor y;
        { NoGradGuard ng; y = conv(x, w); }
        Tensor gy = gen.normal(y.shape());
        const int64_t ho = y.size(2), wo = y.size(3);
        // A transposed conv does the work of the conv it is the adjoint of (input: y).
        const double gflop = 2.0 * s.n * s.c * s.o * s.k * s.k * (s.transposed ? s.h * s.h : ho * wo) / 1e9;
        const double fwd = best_ms([&] { NoGradGuard ng; conv(x, w); }, reps);
        // Forward + one gradient, as bench_conv_torch.py times it.
        auto grad_of = [&](bool input) {
            Tensor xi = x.detach(), wi = w.detach();
            (input ? xi : wi).set_requires_grad(true);
            return best_ms([&] { grad({conv(xi, wi)}, {input ? xi : wi}, {gy}); }, reps);
        };
        const double dx = grad_of(true), dw = grad_of(false);
        std::printf("%-30s %7.2f (%6.1f) %7.2f (%6.1f) %7.2f (%6.1f)\n", s.name, fwd, gflop / fwd * 1e3, dx,
                    gflop / dx * 1e3, dw, gflop / dw * 1e3);
    }
}
