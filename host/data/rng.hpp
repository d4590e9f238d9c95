// The random numbers behind shuffling and the `shapes` generator. Written out here
// rather than taken from <random> because std::uniform_*_distribution differ between
// standard libraries, and a run must see the same data order on every machine.
#pragma once

#include <cstdint>

namespace genhost::data {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, statistically sound for this use.
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n), n > 0, without modulo bias (rejection).
    uint64_t below(uint64_t n) {
        const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        uint64_t x;
        do x = next(); while (x >= limit);
        return x % n;
    }
    // Uniform in [0, 1) with 24 bits, exact in float.
    float uniform() { return float(next() >> 40) * (1.f / 16777216.f); }
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

private:
    uint64_t state_;
};

// A seed for stream `stream` of `seed` (e.g. the epoch, or an image index) such that
// nearby streams are unrelated.
inline uint64_t derive_seed(uint64_t seed, uint64_t stream) {
    Rng a(seed);
    Rng b(a.next() ^ (stream * 0xD1B54A32D192ED03ull));
    return b.next();
}

}  // namespace genhost::data
