// Standard normal noise that depends only on (seed, element index).
//
// Stochastic steps (DDPM's variance, DDIM with eta > 0, Euler ancestral) must give the
// same sample on every machine and for every thread count, so noise is not drawn from a
// stream: element i of a step's noise is a pure function of the step's seed and i.
//
//   block   = Philox4x32-10(counter = {i / 4 low 32 bits, i / 4 high 32 bits, 0, 0},
//                           key     = {seed low 32 bits, seed high 32 bits})
//   u1      = (block[0 or 2] + 0.5) / 2^32        in (0, 1), so log(u1) is finite
//   u2      =  block[1 or 3]        / 2^32        in [0, 1)
//   normals = sqrt(-2 ln u1) * (cos(2 pi u2), sin(2 pi u2))      (Box-Muller)
//   element i takes normal i % 4 of its block: (cos, sin) of words 0,1, then of words 2,3.
//
// Philox4x32-10 is the counter-based generator of Salmon et al. 2011 ("Parallel random
// numbers: as easy as 1, 2, 3"), the one cuRAND and Random123 ship; the Box-Muller step
// is computed in double and rounded to float, so last-bit differences between libm
// implementations do not reach the result in practice.
// tests/schedulers/make_golden.py has the same generator in numpy.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace genhost::schedulers {

// Ten rounds of Philox4x32 on `counter` with `key`.
std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

// Fills out[0, count) with normal(seed, first + k) for k in [0, count).
void fill_normal(uint64_t seed, float* out, int64_t count, uint64_t first = 0);

// ---- implementation (header-only: nothing to link) ----

inline std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> c, std::array<uint32_t, 2> k) {
    constexpr uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;  // multipliers
    constexpr uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;  // Weyl key increments
    for (int round = 0; round < 10; ++round) {
        if (round > 0) k[0] += W0, k[1] += W1;
        const uint64_t p0 = static_cast<uint64_t>(M0) * c[0];
        const uint64_t p1 = static_cast<uint64_t>(M1) * c[2];
        c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
             static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
    }
    return c;
}

inline void fill_normal(uint64_t seed, float* out, int64_t count, uint64_t first) {
    const std::array<uint32_t, 2> key = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
    constexpr double two_pi = 6.283185307179586476925286766559;
    constexpr double inv_2_32 = 1.0 / 4294967296.0;
    uint64_t block_index = ~uint64_t{0};
    double normals[4] = {0, 0, 0, 0};
    for (int64_t k = 0; k < count; ++k) {
        const uint64_t i = first + static_cast<uint64_t>(k);
        if (i / 4 != block_index) {
            block_index = i / 4;
            const auto b = philox4x32_10(
                {static_cast<uint32_t>(block_index), static_cast<uint32_t>(block_index >> 32), 0u, 0u}, key);
            for (int pair = 0; pair < 2; ++pair) {
                const double u1 = (static_cast<double>(b[2 * pair]) + 0.5) * inv_2_32;
                const double u2 = static_cast<double>(b[2 * pair + 1]) * inv_2_32;
                const double r = std::sqrt(-2.0 * std::log(u1));
                normals[2 * pair] = r * std::cos(two_pi * u2);
                normals[2 * pair + 1] = r * std::sin(two_pi * u2);
            }
        }
        out[k] = static_cast<float>(normals[i % 4]);
    }
}

}  // namespace genhost::schedulers
