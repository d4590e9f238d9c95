// The vector type of one per-ISA kernel build (see isa.hpp): GCC vector extensions at the
// width the build's -m flags allow. Include only from simd/*_kernels.cpp.
#pragma once

#include <cstdint>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#ifndef GENHOST_SIMD_NS
#error "vec.hpp is for simd/*_kernels.cpp, built per instruction set with GENHOST_SIMD_NS defined"
#endif

namespace genhost::engine::simd::GENHOST_SIMD_NS {

#if defined(__AVX512F__)
constexpr int kWidth = 16;
constexpr int kRegisters = 32;
#elif defined(__AVX__)
constexpr int kWidth = 8;
constexpr int kRegisters = 16;
#else
constexpr int kWidth = 4;
constexpr int kRegisters = 16;
#endif

// aligned(4): loads and stores through a vf* may be unaligned.
typedef float vf __attribute__((vector_size(kWidth * sizeof(float)), aligned(4)));

inline vf load(const float* p) { return *reinterpret_cast<const vf*>(p); }
inline void store(float* p, vf v) { *reinterpret_cast<vf*>(p) = v; }
// By intrinsic where there is one: a broadcast straight from memory costs only a load,
// while vf{} + s costs an add (adding zero is no identity for -0.0), and GCC builds a
// 512-bit broadcast from a 256-bit one plus a shuffle, both on the FMA ports.
inline vf splat(float s) {
#if defined(__AVX512F__)
    return reinterpret_cast<vf>(_mm512_set1_ps(s));
#elif defined(__AVX__)
    return reinterpret_cast<vf>(_mm256_set1_ps(s));
#else
    vf v;
    for (int i = 0; i < kWidth; ++i) v[i] = s;
    return v;
#endif
}
// Pairwise: log2(width) dependent adds instead of width.
inline float hsum(vf v) {
    float a[kWidth];
    store(a, v);
    for (int w = kWidth / 2; w >= 1; w /= 2)
        for (int i = 0; i < w; ++i) a[i] += a[i + w];
    return a[0];
}

}  // namespace genhost::engine::simd::GENHOST_SIMD_NS
