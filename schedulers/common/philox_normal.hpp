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
#include <cstdint>

namespace genhost::schedulers {

// Ten rounds of Philox4x32 on `counter` with `key`.
std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

// Fills out[0, count) with normal(seed, first + k) for k in [0, count).
void fill_normal(uint64_t seed, float* out, int64_t count, uint64_t first = 0);

}  // namespace genhost::schedulers
