// One place that knows which per-ISA builds exist (CMake defines GENHOST_SIMD_X86 when the
// AVX2 and AVX-512 builds are compiled) and hands out their kernel tables.
#include "simd/conv_kernels.hpp"
#include "simd/isa.hpp"

namespace genhost::engine::simd {

namespace generic { extern const ConvKernels conv_kernels_table; }
#ifdef GENHOST_SIMD_X86
namespace avx2 { extern const ConvKernels conv_kernels_table; }
namespace avx512 { extern const ConvKernels conv_kernels_table; }
#define GENHOST_SIMD_TABLES(name) &generic::name, &avx2::name, &avx512::name
#else
#define GENHOST_SIMD_TABLES(name) &generic::name, nullptr, nullptr
#endif

const ConvKernels& conv_kernels() {
    static const ConvKernels& k = pick<ConvKernels>(GENHOST_SIMD_TABLES(conv_kernels_table));
    return k;
}

}  // namespace genhost::engine::simd
