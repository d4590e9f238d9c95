// Training-step throughput of the VAE plugin, measured in CPU time so that other work on
// the machine (a shared 2-core box) disturbs it less than wall time: the quickstart model
// (784-400-20 MLP, Bernoulli, batch 128) on Fashion-MNIST, each step = zero grads,
// train_phase through the C ABI, the host's Adam. torch_vae.py --step-bench times the
// same step in PyTorch.
//   build-vae/bin/vae_step_bench [steps=300] [threads=1]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "data/load.hpp"
#include "loader/instance.hpp"
#include "train/adam.hpp"
#include "train/model_state.hpp"

namespace {

double seconds(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
    const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 300;
    const uint32_t threads = argc > 2 ? static_cast<uint32_t>(std::atoi(argv[2])) : 1;
    const int64_t batch = 128, warmup = 20;

    genhost::data::DataOptions options = genhost::data::data_default_options();
    const genhost::data::Dataset data = genhost::data::load_dataset(options);
    genhost::loader::PluginRegistry registry;
    registry.scan({std::filesystem::path(GENHOST_BINARY_DIR) / "lib" / "genhost" / "plugins"});
    genhost_data_info info{sizeof info, 1, 28, 28, 10, 0.0f, 1.0f};
    genhost::loader::HostServices services;
    services.num_threads = threads;
    auto vae = genhost::loader::PluginInstance::create(
        registry.find("vae"), {{"hidden", {400}}, {"latent_dim", 20}, {"likelihood", "bernoulli"}}, &info, services);
    const genhost_trainable* t = vae->trainable();
    genhost::train::ModelState state(t, vae->raw(), vae->id());
    genhost::train::Adam adam("model", state.slots("model"), genhost::train::AdamOptions{});

    std::vector<int64_t> shape = {batch, 1, 28, 28};
    DLTensor images{nullptr, {kDLCPU, 0}, 4, {kDLFloat, 32, 1}, shape.data(), nullptr, 0};
    float losses[3];
    double cpu0 = 0, wall0 = 0;
    for (int64_t s = 0; s < warmup + steps; ++s) {
        if (s == warmup) cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID), wall0 = seconds(CLOCK_MONOTONIC);
        const int64_t first = (s * batch) % (data.n - batch);
        images.data = const_cast<float*>(data.image(first));
        genhost_batch b{sizeof b, &images, nullptr, static_cast<uint64_t>(s), static_cast<uint64_t>(s), batch, nullptr};
        state.zero_grads("model");
        vae->check(t->train_phase(vae->raw(), 0, &b, losses), "train_phase");
        adam.step();
    }
    const double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0, wall = seconds(CLOCK_MONOTONIC) - wall0;
    const double n = static_cast<double>(steps * batch);
    std::printf("{\"impl\": \"genhost\", \"threads\": %u, \"steps\": %lld, \"images_per_cpu_s\": %.0f, "
                "\"images_per_wall_s\": %.0f, \"last_loss\": %.2f}\n",
                threads, static_cast<long long>(steps), n / cpu, n / wall, losses[0]);
    // Leave without unloading the plugin: with threads > 1, unloading vae.so (and the
    // OpenMP runtime it brought) while the runtime's pool threads live crashes at exit.
    std::fflush(stdout);
    std::_Exit(0);
}
