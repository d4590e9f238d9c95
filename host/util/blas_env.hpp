// Choosing OpenBLAS's kernels before any plugin loads it.
//
// Debian 12's OpenBLAS (0.3.21) does not recognise recent x86 CPUs and falls back to its
// SSE3 kernels, which run GEMM several times slower. OpenBLAS reads OPENBLAS_CORETYPE once,
// when the library is loaded; genhost itself does not link OpenBLAS, plugins do, and they
// are loaded after main() starts, so setting it here is in time.
#pragma once

#include <string>

namespace genhost {

// Sets OPENBLAS_CORETYPE to the best kernel set this CPU supports (SkylakeX with AVX-512,
// Haswell with AVX2 and FMA) unless the user set it. Returns what it set, or "".
std::string choose_blas_kernels();

}  // namespace genhost
