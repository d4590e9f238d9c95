#include "simd/isa.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace genhost::engine::simd {

namespace {

Isa cpu_best() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    // The AVX-512 build uses F, VL, BW, DQ (Skylake-SP and later); AVX2 builds use FMA too.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
        return Isa::avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
#endif
    return Isa::generic;
}

Isa choose() {
    Isa best = cpu_best();
    const char* env = std::getenv("GENHOST_ENGINE_ISA");
    if (!env || !*env) return best;
    std::string v = env;
    Isa asked;
    if (v == "generic") asked = Isa::generic;
    else if (v == "avx2") asked = Isa::avx2;
    else if (v == "avx512") asked = Isa::avx512;
    else
        throw std::invalid_argument("GENHOST_ENGINE_ISA=" + v + ": expected generic, avx2 or avx512 (or unset for the best this CPU has)");
    return asked < best ? asked : best;
}

}  // namespace

Isa active_isa() {
    static const Isa isa = choose();
    return isa;
}

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::avx512: return "avx512";
        case Isa::avx2: return "avx2";
        default: return "generic";
    }
}

}  // namespace genhost::engine::simd
