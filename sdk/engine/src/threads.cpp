// Thread count: OpenBLAS threads for GEMM, OpenMP for the engine's loops. GEMM is never
// called from inside an engine parallel loop, so the two pools never run together.
#include <stdexcept>
#include <string>

#include <cblas.h>
#include <omp.h>

#include "internal.hpp"
#include "genhost/engine/threads.hpp"

namespace genhost::engine {

namespace {
int g_threads = 0;  // 0: not set yet, use OpenBLAS's default
}

void set_num_threads(int n) {
    if (n < 1) throw std::invalid_argument("set_num_threads: expected n >= 1, got " + std::to_string(n));
    g_threads = n;
    openblas_set_num_threads(n);
    omp_set_num_threads(n);
}

int get_num_threads() { return g_threads > 0 ? g_threads : openblas_get_num_threads(); }
int engine_threads() { return get_num_threads(); }

std::string blas_info() {
    return std::string(openblas_get_config()) + ", core " + openblas_get_corename();
}

std::string blas_core_advice() {
    std::string core = openblas_get_corename();
    if (core != "Prescott" && core != "Core2" && core != "Nehalem") return "";
    __builtin_cpu_init();
    const char* better = __builtin_cpu_supports("avx512f") ? "SkylakeX" : __builtin_cpu_supports("avx2") ? "Haswell" : nullptr;
    if (!better) return "";
    return "OpenBLAS chose the " + core + " kernels on a CPU with " +
           (std::string(better) == "SkylakeX" ? "AVX-512" : "AVX2") +
           ": export OPENBLAS_CORETYPE=" + better + " before starting the program for several times faster GEMM";
}

}  // namespace genhost::engine
