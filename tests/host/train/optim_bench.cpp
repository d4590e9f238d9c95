// Times one update of each optimizer, the EMA, clipping and the NaN scan on large buffers.
//
//     build-optim/bench/train_optim_bench [millions of floats, default 4] [repeats, default 20]
//
// Prints nanoseconds per parameter and GB/s of memory traffic, to compare with torch:
// /usr/bin/python3 tests/host/train/bench_torch.py (same sizes, single thread, foreach=False).
#include "train/adam.hpp"
#include "train/ema.hpp"
#include "train/grad_check.hpp"
#include "train/grad_clip.hpp"
#include "train/rmsprop.hpp"
#include "train/sgd.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace genhost::train;

namespace {

double best_seconds(int repeats, const std::function<void()>& f) {
    double best = 1e30;
    f();   // warm-up: first touch of lazily allocated pages
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = s < best ? s : best;
    }
    return best;
}

void report(const char* what, double seconds, std::size_t n, int floats_moved_per_param) {
    const double bytes = static_cast<double>(n) * floats_moved_per_param * sizeof(float);
    std::printf("%-28s %8.3f ms  %6.2f ns/param  %6.1f GB/s\n", what, seconds * 1e3, seconds * 1e9 / n,
                bytes / seconds / 1e9);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = static_cast<std::size_t>((argc > 1 ? std::atof(argv[1]) : 4.0) * 1e6);
    const int repeats   = argc > 2 ? std::atoi(argv[2]) : 20;
    std::vector<float> value(n), grad(n);
    for (std::size_t i = 0; i < n; ++i) {
        value[i] = static_cast<float>(i % 1000) * 1e-3f;
        grad[i]  = static_cast<float>((i * 7919) % 1000) * 1e-6f - 5e-4f;
    }
    const std::vector<ParamSlot> slots{{"w", value.data(), grad.data(), n}};
    std::printf("%zu parameters, best of %d\n", n, repeats);

    {
        Sgd opt("g", slots, SgdOptions{1e-3, 0.9});
        report("sgd momentum", best_seconds(repeats, [&] { opt.step(); }), n, 5);   // p rw, g r, buf rw
    }
    {
        Adam opt("g", slots, AdamOptions{});
        report("adam", best_seconds(repeats, [&] { opt.step(); }), n, 7);           // p, m, v rw; g r
    }
    {
        Adam opt("g", slots, adamw_default_options());
        report("adamw", best_seconds(repeats, [&] { opt.step(); }), n, 7);
    }
    {
        AdamOptions o;
        o.amsgrad = true;
        Adam opt("g", slots, o);
        report("adam amsgrad", best_seconds(repeats, [&] { opt.step(); }), n, 9);
    }
    {
        RmspropOptions o;
        o.centered = true;
        o.momentum = 0.9;
        Rmsprop opt("g", slots, o);
        report("rmsprop centered momentum", best_seconds(repeats, [&] { opt.step(); }), n, 9);
    }
    {
        Ema ema("g", slots, EmaOptions{});
        report("ema update", best_seconds(repeats, [&] { ema.update(); }), n, 3);
    }
    report("grad_norm (l2)", best_seconds(repeats, [&] { grad_norm(slots); }), n, 1);
    report("clip_grad_norm (no clip)", best_seconds(repeats, [&] { clip_grad_norm(slots, 1e9); }), n, 1);
    report("find_nonfinite_grad", best_seconds(repeats, [&] { (void)find_nonfinite_grad(slots); }), n, 1);
    return 0;
}
