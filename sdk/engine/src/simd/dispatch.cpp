// One place that knows which per-ISA builds exist (CMake defines GENHOST_SIMD_X86 when the
// AVX2 and AVX-512 builds are compiled) and hands out their kernel tables.
#include "simd/conv_kernels.hpp"
#include "simd/isa.hpp"
#include "simd/row_kernels.hpp"
#include "simd/vmath_kernels.hpp"

namespace genhost::engine::simd {

#define GENHOST_SIMD_DECLARE_TABLES                 \
    extern const ConvKernels conv_kernels_table;    \
    extern const VmathKernels vmath_kernels_table;  \
    extern const RowKernels row_kernels_table;
namespace generic { GENHOST_SIMD_DECLARE_TABLES }
#ifdef GENHOST_SIMD_X86
namespace avx2 { GENHOST_SIMD_DECLARE_TABLES }
namespace avx512 { GENHOST_SIMD_DECLARE_TABLES }
#define GENHOST_SIMD_TABLES(name) &generic::name, &avx2::name, &avx512::name
#else
#define GENHOST_SIMD_TABLES(name) &generic::name, nullptr, nullptr
#endif

const ConvKernels& conv_kernels() {
    static const ConvKernels& k = pick<ConvKernels>(GENHOST_SIMD_TABLES(conv_kernels_table));
    return k;
}

const RowKernels& row_kernels() {
    static const RowKernels& k = pick<RowKernels>(GENHOST_SIMD_TABLES(row_kernels_table));
    return k;
}

const VmathKernels& vmath_kernels() {
    static const VmathKernels& k = pick<VmathKernels>(GENHOST_SIMD_TABLES(vmath_kernels_table));
    return k;
}

}  // namespace genhost::engine::simd
