// Timings for docs and reports (not a test): dataset loading, batch assembly, prefetch
// overlap with a simulated training step, grid saving. Run: build-*/tests/data_bench
// Numbers depend on the machine's load; run it on an idle machine to compare.
#include "data/idx.hpp"
#include "data/load.hpp"
#include "data/loader.hpp"
#include "data/shapes.hpp"
#include "image/grid.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

using namespace genhost::data;
using clk = std::chrono::steady_clock;

namespace {

double ms_since(clk::time_point start) {
    return std::chrono::duration<double, std::milli>(clk::now() - start).count();
}

// Stands in for a training step: `us` microseconds of CPU work on the calling thread.
void busy(int us) {
    const auto start = clk::now();
    while (std::chrono::duration<double, std::micro>(clk::now() - start).count() < us) {
    }
}

}  // namespace

int main() {
    const std::string fm = fashion_mnist_default_path;
    std::shared_ptr<const Dataset> ds;
    if (std::filesystem::exists(fm + "/train-images-idx3-ubyte.gz")) {
        auto t = clk::now();
        read_idx(fm + "/train-images-idx3-ubyte.gz", 3);
        std::printf("read_idx train images (gunzip 26 MB -> 47 MB):  %7.1f ms\n", ms_since(t));
        t = clk::now();
        ds = std::make_shared<const Dataset>(load_dataset(data_default_options()));
        std::printf("load fashion-mnist train (60000 + floats):      %7.1f ms\n", ms_since(t));
    } else {
        std::printf("Fashion-MNIST not installed; timing on shapes\n");
    }
    ShapesOptions so;
    auto t = clk::now();
    auto shapes = std::make_shared<const Dataset>(make_shapes(so));
    std::printf("make_shapes 10000 x 1x28x28:                    %7.1f ms\n", ms_since(t));
    if (!ds) ds = shapes;

    for (float lo : {0.f, -1.f}) {
        DataOptions o = data_default_options();
        o.batch_size = 128;
        o.prefetch = 0;
        o.range_min = lo;
        DataLoader loader(ds, o);
        t = clk::now();
        for (int64_t i = 0; i < loader.batches_per_epoch(); ++i) loader.next();
        const double e = ms_since(t);
        std::printf("one epoch, batch 128, range [%g, 1], no prefetch: %6.1f ms = %5.1f us/batch\n", lo, e,
                    e * 1000 / double(loader.batches_per_epoch()));
    }
    for (int work : {0, 500, 2000}) {
        for (int64_t prefetch : {0, 1}) {
            DataOptions o = data_default_options();
            o.batch_size = 128;
            o.prefetch = prefetch;
            o.range_min = -1.f;
            DataLoader loader(ds, o);
            const int steps = 200;
            t = clk::now();
            for (int i = 0; i < steps; ++i) {
                loader.next();
                busy(work);
            }
            const double per = ms_since(t) * 1000 / steps;
            std::printf("step = next() + %4d us work, prefetch %ld: %7.1f us/step (data %6.1f us)\n", work,
                        long(prefetch), per, per - work);
        }
    }
    t = clk::now();
    for (int i = 0; i < 20; ++i) {
        genhost::image::save_grid("/tmp/genhost-data-bench-grid.png", ds->images.data(), 64, 1, ds->height,
                                  ds->width, 8, 2);
    }
    std::printf("save_grid 64 images 28x28 -> PNG:               %7.2f ms\n", ms_since(t) / 20);
    std::filesystem::remove("/tmp/genhost-data-bench-grid.png");
}
