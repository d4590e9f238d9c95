// The host picks OpenBLAS kernels only when the user has not.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "util/blas_env.hpp"

TEST_CASE("a user's OPENBLAS_CORETYPE is left alone", "[blas]") {
    setenv("OPENBLAS_CORETYPE", "Nehalem", 1);
    CHECK(genhost::choose_blas_kernels().empty());
    CHECK(std::string(std::getenv("OPENBLAS_CORETYPE")) == "Nehalem");
}

TEST_CASE("without one, the best kernel set the CPU supports is chosen", "[blas]") {
    unsetenv("OPENBLAS_CORETYPE");
    const std::string chosen = genhost::choose_blas_kernels();
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        CHECK(chosen == "SkylakeX");
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        CHECK(chosen == "Haswell");
    else
        CHECK(chosen.empty());
    if (!chosen.empty()) CHECK(std::string(std::getenv("OPENBLAS_CORETYPE")) == chosen);
}
