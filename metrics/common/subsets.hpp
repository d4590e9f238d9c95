// Random subsets drawn without replacement, the same on every platform: KID's subsets
// must not change with the standard library (std::uniform_int_distribution may).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace genhost::metrics {

class SubsetSampler {
public:
    explicit SubsetSampler(uint64_t seed) : engine_(seed) {}
    // `size` distinct indices of [0, n), in the order drawn (a partial Fisher-Yates
    // shuffle). Requires size <= n.
    std::vector<int64_t> draw(int64_t n, int64_t size);

private:
    uint64_t below(uint64_t bound);  // uniform in [0, bound), by rejection: no modulo bias
    std::mt19937_64 engine_;         // the standard fixes its output sequence
};

}  // namespace genhost::metrics
