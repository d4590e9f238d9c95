// Thread count. The engine runs one pool, OpenMP's: its loops and its GEMMs (split into
// blocks, gemm.cpp) use up to n threads, and OpenBLAS itself is kept at one thread.
#include <stdexcept>
#include <string>

#include <cblas.h>
#include <omp.h>

#include "internal.hpp"
#include "simd/isa.hpp"
#include "genhost/engine/threads.hpp"

namespace genhost::engine {

namespace {
int g_threads = 0;  // 0: not set yet
}

void set_num_threads(int n) {
    if (n < 1) throw std::invalid_argument("set_num_threads: expected n >= 1, got " + std::to_string(n));
    // Read GENHOST_ENGINE_ISA here, outside any parallel region: a bad value must throw
    // where it can be caught, not from a kernel's first use inside an OpenMP loop.
    simd::active_isa();
    g_threads = n;
    openblas_set_num_threads(1);
}

int get_num_threads() {
    if (g_threads == 0) set_num_threads(omp_get_max_threads());  // OMP_NUM_THREADS or all cores
    return g_threads;
}
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
