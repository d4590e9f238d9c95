// Times forward+backward of the engine's layers at the reference models' shapes
// (28x28 images, batch 128) and raw sgemm throughput. Prints one line per layer:
//   <name> <median wall ms> <median process CPU ms>
// run.sh runs this and bench_torch.py side by side and prints the ratios.
#include <cblas.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

using namespace genhost::engine;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing { double wall_ms, cpu_ms; };

double cpu_now_ms() {  // CPU time of the whole process: robust to other load at 1 thread
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

Timing median_ms(const std::function<void()>& f, int reps) {
    f();  // warm-up: allocations, buffer cache
    std::vector<double> wall, cpu;
    for (int i = 0; i < reps; ++i) {
        double c = cpu_now_ms();
        auto a = Clock::now();
        f();
        wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
        cpu.push_back(cpu_now_ms() - c);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

// forward, then the gradients of sum(y * go) for the input and all weights.
void fwd_bwd(const std::function<Tensor()>& layer, const std::vector<Tensor>& wrt, const Tensor& go) {
    Tensor y = layer();
    grad({y}, wrt, {go});
}

void bench(const std::string& name, const Shape& in, const std::vector<Tensor>& weights,
           const std::function<Tensor(const Tensor&)>& layer, int reps) {
    Generator gen(0);
    Tensor x = gen.normal(in).set_requires_grad(true);
    Tensor y0;
    {
        NoGradGuard ng;
        y0 = layer(x);
    }
    Tensor go = gen.normal(y0.shape());
    std::vector<Tensor> wrt = weights;
    wrt.insert(wrt.begin(), x);
    Timing t = median_ms([&] { fwd_bwd([&] { return layer(x); }, wrt, go); }, reps);
    std::printf("%-28s %9.3f %9.3f\n", name.c_str(), t.wall_ms, t.cpu_ms);
    std::fflush(stdout);
}

Tensor param(Generator& gen, const Shape& s, float scale = 0.05f) { return (gen.normal(s) * scale).detach().set_requires_grad(true); }

}  // namespace

int main(int argc, char** argv) {
    int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    int reps = argc > 2 ? std::atoi(argv[2]) : 10;
    set_num_threads(threads);
    std::printf("# %s, %d engine threads\n", blas_info().c_str(), threads);
    if (!blas_core_advice().empty()) std::printf("# warning: %s\n", blas_core_advice().c_str());
    // OpenBLAS's worker threads, idle here (the engine keeps OpenBLAS at one thread),
    // spin for about 0.1 s after the library starts before they sleep: let them, so that
    // their spinning is not billed to the first layer's CPU time.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto wall0 = Clock::now();
    Generator gen(1);
    const int64_t B = 128;

    Tensor lw = param(gen, {400, 784}), lb = param(gen, {400});
    bench("linear_784x400", {B, 784}, {lw, lb}, [&](const Tensor& x) { return linear(x, lw, lb); }, reps);

    Tensor c1w = param(gen, {128, 64, 4, 4}), c1b = param(gen, {128});
    bench("conv_64_128_k4s2", {B, 64, 14, 14}, {c1w, c1b}, [&](const Tensor& x) { return conv2d(x, c1w, c1b, {2, 1}); }, reps);

    Tensor tw = param(gen, {256, 128, 4, 4}), tb = param(gen, {128});
    ConvTranspose2dOptions to;
    to.stride = 2; to.padding = 1;
    bench("convT_256_128_k4s2", {B, 256, 7, 7}, {tw, tb}, [&](const Tensor& x) { return conv_transpose2d(x, tw, tb, to); }, reps);

    Tensor c3w = param(gen, {32, 32, 3, 3}), c3b = param(gen, {32});
    bench("conv3x3_32_28x28", {B, 32, 28, 28}, {c3w, c3b}, [&](const Tensor& x) { return conv2d(x, c3w, c3b, {1, 1}); }, reps);

    Tensor c6w = param(gen, {64, 64, 3, 3}), c6b = param(gen, {64});
    bench("conv3x3_64_14x14", {B, 64, 14, 14}, {c6w, c6b}, [&](const Tensor& x) { return conv2d(x, c6w, c6b, {1, 1}); }, reps);

    Tensor gw = param(gen, {64}), gb = param(gen, {64});
    bench("groupnorm_8x64_14x14", {B, 64, 14, 14}, {gw, gb}, [&](const Tensor& x) { return group_norm(x, 8, gw, gb); }, reps);

    Tensor bw = param(gen, {64}), bb = param(gen, {64});
    bench("batchnorm_64_14x14", {B, 64, 14, 14}, {bw, bb}, [&](const Tensor& x) {
        return batch_norm2d(x, Tensor(), Tensor(), bw, bb, true);
    }, reps);

    bench("relu_64_14x14", {B, 64, 14, 14}, {}, [&](const Tensor& x) { return relu(x); }, reps);

    bench("attention_7x7x64", {B, 49, 64}, {}, [&](const Tensor& x) { return scaled_dot_product_attention(x, x, x); }, reps);

    // Raw sgemm: the engine's matmul (forward only) against cblas_sgemm on the same buffers.
    const int64_t n = 1024;
    Tensor a = gen.normal({n, n}), b = gen.normal({n, n}), c = Tensor::empty({n, n});
    double gflop = 2.0 * n * n * n / 1e9;
    // OpenBLAS alone, with its own threads (the engine keeps OpenBLAS single-threaded and
    // splits GEMMs over its OpenMP threads instead).
    openblas_set_num_threads(threads);
    double raw = median_ms([&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    }, reps).wall_ms;
    openblas_set_num_threads(1);
    double eng = median_ms([&] { NoGradGuard ng; matmul(a, b); }, reps).wall_ms;
    std::printf("# sgemm GFLOP/s: openblas %.1f, engine %.1f (%.0f%%)\n", gflop / raw * 1e3, gflop / eng * 1e3, 100.0 * raw / eng);
    // Busy threads on average: CPU time over wall time; must not exceed the thread count.
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
    std::printf("# busy threads: %.2f on average (cpu %.1f s / wall %.1f s), limit %d\n", cpu / wall, cpu, wall, threads);
    return 0;
}
