// Time of each metric plugin on N real and N generated feature vectors of size D:
// update_features in batches of 500, then compute, through the plugin libraries as the
// host loads them. docs/metrics.md quotes it, beside reference_timing.py (numpy, scipy).
//
//   build/bin/metrics_bench [N=10000] [D=64] [threads=1] [metric ...]   (default: all four)
//
// `threads` is the host's num_threads (genhost --threads), which the metrics give OpenBLAS.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <genhost/cpp/tensor_view.hpp>
#include <genhost/ext/metric.h>

#include "loader/instance.hpp"
#include "loader/registry.hpp"
#include "util/blas_env.hpp"

int main(int argc, char** argv) {
    const std::string kernels = genhost::choose_blas_kernels();  // as genhost does, before OpenBLAS loads
    const int64_t n = argc > 1 ? std::atoll(argv[1]) : 10000, d = argc > 2 ? std::atoll(argv[2]) : 64, k = 10;
    const uint32_t threads = argc > 3 ? static_cast<uint32_t>(std::atoi(argv[3])) : 1;
    std::vector<std::string> names;
    for (int i = 4; i < argc; ++i) names.push_back(argv[i]);
    if (names.empty()) names = {"fid", "inception_score", "kid", "prdc"};

    // Real: N(0, 1); generated: N(0.1, 1.2^2). Probabilities: a softmax of random logits.
    std::mt19937_64 engine(1);
    std::normal_distribution<float> normal;
    std::vector<float> real(n * d), generated(n * d), probabilities(n * k);
    for (float& v : real) v = normal(engine);
    for (float& v : generated) v = 0.1f + 1.2f * normal(engine);
    for (int64_t i = 0; i < n; ++i) {
        float sum = 0;
        for (int64_t j = 0; j < k; ++j) sum += probabilities[i * k + j] = std::exp(2.0f * normal(engine));
        for (int64_t j = 0; j < k; ++j) probabilities[i * k + j] /= sum;
    }

    genhost::loader::PluginRegistry registry;
    registry.scan({GENHOST_METRIC_PLUGIN_DIR});
    std::printf("N = %lld per set, D = %lld, %u threads, OPENBLAS_CORETYPE=%s\n", (long long)n, (long long)d, threads,
                std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE") : "(unset)");
    for (const auto& name : names) {
        genhost::loader::HostServices services;
        services.num_threads = threads;
        auto metric = genhost::loader::PluginInstance::create(registry.find(name), nlohmann::json::object(), nullptr,
                                                              services);
        const genhost_metric* m = metric->metric();
        auto update = genhost::loader::PluginInstance::update_features(m);
        const auto start = std::chrono::steady_clock::now();
        for (uint32_t set : {GENHOST_METRIC_REAL, GENHOST_METRIC_GENERATED})
            for (int64_t first = 0; first < n; first += 500) {
                const int64_t rows = std::min<int64_t>(500, n - first);
                std::vector<int64_t> fshape = {rows, d}, pshape = {rows, k};
                float* f = (set == GENHOST_METRIC_REAL ? real : generated).data() + first * d;
                DLTensor features = genhost::make_dltensor(f, fshape);
                DLTensor probs = genhost::make_dltensor(probabilities.data() + first * k, pshape);
                metric->check(update(metric->raw(), set, &features, &probs), "update_features");
            }
        const auto updated = std::chrono::steady_clock::now();
        std::vector<double> values(m->value_count(metric->raw()));
        metric->check(m->compute(metric->raw(), values.data()), "compute");
        const auto done = std::chrono::steady_clock::now();
        const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
        std::printf("%-5s update %6.3f s  compute %7.3f s ", name.c_str(), seconds(start, updated),
                    seconds(updated, done));
        for (size_t i = 0; i < values.size(); ++i) std::printf(" %s %.6g", m->value_name(metric->raw(), i), values[i]);
        std::printf("\n");
    }
}
