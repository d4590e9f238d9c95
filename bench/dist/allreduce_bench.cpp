// The allreduce that data-parallel training calls once per phase: its time on this machine
// for buffers from 4 KB to 64 MB (the quickstart's VAE is 2.6 MB of gradients).
//   mpirun --allow-run-as-root -np 2 build/bench/dist/allreduce_bench
// Prints, per size, the median of 30 calls and the bus bandwidth 2 (N-1)/N x bytes / time
// (the bytes each rank moves in a ring allreduce), which the cost model in
// docs/distributed.md takes as its input.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "dist/world.hpp"

int main(int argc, char** argv) {
    namespace dist = genhost::dist;
    dist::init(argc, argv);
    const auto& w = dist::world();
    if (w.root()) std::printf("# %d ranks\n# floats      bytes   median_us   bus_GB_per_s\n", w.size);
    for (size_t n = 1024; n <= (size_t{16} << 20); n *= 4) {
        std::vector<float> data(n, 1.0f);
        std::vector<double> us;
        for (int i = 0; i < 33; ++i) {
            const auto start = std::chrono::steady_clock::now();
            dist::allreduce_sum(data.data(), n);
            const double t = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
            if (i >= 3) us.push_back(t);  // the first calls set up connections
        }
        std::nth_element(us.begin(), us.begin() + us.size() / 2, us.end());
        double median = us[us.size() / 2];
        dist::allreduce_sum(&median, 1);  // the ranks' mean
        median /= w.size;
        const double bytes = 4.0 * static_cast<double>(n);
        const double bus = 2.0 * (w.size - 1) / w.size * bytes / (median * 1e-6) / 1e9;
        if (w.root()) std::printf("%9zu %10.0f %11.1f %14.2f\n", n, bytes, median, bus);
    }
    dist::finalize();
}
