// Thread count for everything the engine runs. The engine has one pool (OpenMP): its
// loops and its matrix products (split into blocks) use at most n threads, and OpenBLAS
// is kept single-threaded, so OpenBLAS and OpenMP threads never compete for cores.
// Default: OMP_NUM_THREADS, else all cores. Calls OpenBLAS's openblas_set_num_threads(1).
// Thread rule: call from the main thread before work starts, not during an operation.
#pragma once

#include <string>

namespace genhost::engine {

void set_num_threads(int n);   // n >= 1
int  get_num_threads();

// "OpenBLAS <version and build>, core <name>". OpenBLAS picks its kernels from the CPU model at load
// time; on CPUs newer than it knows (e.g. in some VMs) it falls back to "Prescott", SSE3
// kernels several times slower. Then export OPENBLAS_CORETYPE=SkylakeX (AVX-512) or
// Haswell (AVX2) before the program starts; blas_core_advice() says so ("" if fine).
std::string blas_info();
std::string blas_core_advice();

}  // namespace genhost::engine
