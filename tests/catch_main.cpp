// The tests' main: Catch2's, run under the OpenBLAS kernels genhost chooses by itself.
//
// genhost sets OPENBLAS_CORETYPE before a plugin loads OpenBLAS (host/util/blas_env.hpp)
// unless the user set it. The tests check genhost as it runs by default, so they replace
// a value inherited from the shell (some machines export OPENBLAS_CORETYPE=Haswell on an
// AVX-512 CPU) with genhost's own choice, for this binary and the genhost processes it
// starts. OpenBLAS reads the variable when it is loaded, before main(): so main sets it
// and starts the binary again. Tests that are about other kernels set it themselves
// (tests/sdk/engine/CMakeLists.txt runs the convolution tests under Haswell's too).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "util/blas_env.hpp"

int main(int argc, char** argv) {
    const char* inherited = std::getenv("OPENBLAS_CORETYPE");
    const std::string had = inherited ? inherited : "";
    if (!std::getenv("GENHOST_TEST_KEEP_BLAS_CORE")) {
        unsetenv("OPENBLAS_CORETYPE");
        const std::string chosen = genhost::choose_blas_kernels();
        if (chosen.empty() && !had.empty()) setenv("OPENBLAS_CORETYPE", had.c_str(), 1);  // nothing better known
        else if (chosen != had) {
            setenv("GENHOST_TEST_KEEP_BLAS_CORE", "1", 1);
            execv("/proc/self/exe", argv);  // returns only on failure: then run as we are
        }
    }
    return Catch::Session().run(argc, argv);
}
