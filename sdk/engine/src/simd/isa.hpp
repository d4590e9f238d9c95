// Which instruction set the engine's hand-vectorised kernels run with.
//
// Kernels that must use the machine's full vector width (convolution, and the
// transcendental loops) are compiled once per instruction set: simd/*_kernels.cpp are
// built three times (CMake: genhost_engine_simd_sources), with GENHOST_SIMD_NS naming the
// namespace and -mavx2/-mavx512f as fits. Each build exports a table of function
// pointers; the engine picks the best table the CPU supports, once. Debian builds for
// baseline x86-64, so this is how one binary gets AVX-512 where it exists.
#pragma once

namespace genhost::engine::simd {

enum class Isa { generic, avx2, avx512 };

// The instruction set in use: the best the CPU supports, or lower if the environment
// variable GENHOST_ENGINE_ISA says so (generic, avx2, avx512; a value the CPU lacks is
// lowered to what it has). Read once; throws std::invalid_argument on an unknown value.
Isa active_isa();
const char* isa_name(Isa isa);

// The table of the active instruction set among the per-ISA builds of one kernel file;
// builds absent on this architecture are passed as null and never chosen.
template <class Table>
const Table& pick(const Table* generic, const Table* avx2, const Table* avx512) {
    switch (active_isa()) {
        case Isa::avx512: if (avx512) return *avx512; [[fallthrough]];
        case Isa::avx2: if (avx2) return *avx2; [[fallthrough]];
        default: return *generic;
    }
}

}  // namespace genhost::engine::simd
