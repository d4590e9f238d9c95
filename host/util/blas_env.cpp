#include "util/blas_env.hpp"

#include <cstdlib>

namespace genhost {

std::string choose_blas_kernels() {
    if (std::getenv("OPENBLAS_CORETYPE")) return "";  // the user's choice stands
#if defined(__x86_64__)
    __builtin_cpu_init();
    const char* core = nullptr;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        core = "SkylakeX";
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        core = "Haswell";
    if (core && setenv("OPENBLAS_CORETYPE", core, 0) == 0) return core;
#endif
    return "";
}

}  // namespace genhost
