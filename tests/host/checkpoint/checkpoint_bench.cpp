// Throughput of writing and reading checkpoints (not a test; run by hand):
//   build-<you>/tests/checkpoint_bench [folder]
// Prints the time of write_atomic (with its fsyncs), read (page cache warm) and of parsing a
// header with many small tensors, which exercises the strict JSON parser alone.
#include "checkpoint/reader.hpp"
#include "checkpoint/writer.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace genhost::checkpoint;

namespace {

template <class F>
double best_seconds(int repeats, F&& f) {
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string folder = argc > 1 ? argv[1] : ".";
    const std::string path   = folder + "/checkpoint_bench.safetensors";

    // 128 MB of F32 in 32 tensors, like the weights and Adam moments of a mid-sized model.
    constexpr int                   kTensors = 32;
    constexpr std::int64_t          kFloats  = 1 << 20;
    std::vector<std::vector<float>> weights(kTensors, std::vector<float>(kFloats, 0.5f));
    Writer                          w;
    for (int i = 0; i < kTensors; ++i) w.add_f32_view("layer" + std::to_string(i) + ".weight", {kFloats}, weights[i].data());
    w.set_metadata("step", "1000");
    const double mb = kTensors * kFloats * 4 / 1e6;

    const double write_s = best_seconds(3, [&] { w.write_atomic(path); });
    std::size_t  sink    = 0;
    const double read_s  = best_seconds(5, [&] { sink += Checkpoint::read(path).names().size(); });
    std::printf("write_atomic %.0f MB: %.3f s (%.0f MB/s, including fsync)\n", mb, write_s, mb / write_s);
    std::printf("read         %.0f MB: %.3f s (%.0f MB/s, page cache warm)\n", mb, read_s, mb / read_s);
    std::remove(path.c_str());

    // 100k tiny tensors: the header is ~8 MB of JSON.
    Writer many;
    const float one = 1.0f;
    for (int i = 0; i < 100000; ++i) many.add_view("block." + std::to_string(i) + ".scale", Dtype::F32, {1}, &one, 4);
    const auto   bytes   = many.to_bytes();
    const double parse_s = best_seconds(3, [&] { sink += Checkpoint::parse(bytes.data(), bytes.size(), "many").names().size(); });
    std::printf("parse header of 100000 tensors (%.1f MB): %.3f s (%.0f MB/s of JSON)\n", bytes.size() / 1e6, parse_s,
                bytes.size() / 1e6 / parse_s);
    return sink == 0;
}
