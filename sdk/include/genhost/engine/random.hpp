// Seeded random numbers, reproducible for a fixed seed whatever the thread count.
//
// Generator is counter-based (Philox-4x32-10): element i of a draw is a pure function of
// (seed, offset + i), so filling a tensor in parallel gives the same numbers as filling it
// serially. Each draw advances the offset. Thread rule: one Generator per thread.
#pragma once

#include <cstdint>
#include <vector>

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

class Generator {
public:
    explicit Generator(uint64_t seed = 0) : seed_(seed) {}
    uint64_t seed() const { return seed_; }
    uint64_t offset() const { return offset_; }          // counters used so far
    void     set_state(uint64_t seed, uint64_t offset) { seed_ = seed; offset_ = offset; }

    Tensor normal(const Shape& shape, float mean = 0.0f, float stddev = 1.0f);
    Tensor uniform(const Shape& shape, float lo = 0.0f, float hi = 1.0f);   // [lo, hi)
    Tensor bernoulli(const Shape& shape, float p);                            // 1 with prob p
    // One draw per row of probs [rows, k] (need not be normalised; non-negative).
    std::vector<int64_t> categorical(const Tensor& probs);

    // Raw stream: n uniform floats in [0, 1) into out.
    void fill_uniform(float* out, int64_t n);
    void fill_normal(float* out, int64_t n);

private:
    uint64_t seed_;
    uint64_t offset_ = 0;
};

// n rows of d standard normals (a prior draw z ~ N(0, I) per sample). With `seeds` ([n],
// the host's per-sample seeds of ABI 1.1) row i comes from seeds[i] alone, so a sample does
// not depend on how the host batches them; without, every row comes from `seed`.
Tensor normal_rows(int64_t n, int64_t d, uint64_t seed, const uint64_t* seeds = nullptr);

}  // namespace genhost::engine
