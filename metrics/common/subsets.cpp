#include "common/subsets.hpp"

#include <numeric>
#include <stdexcept>
#include <utility>

namespace genhost::metrics {

uint64_t SubsetSampler::below(uint64_t bound) {
    // Values at or past the last whole multiple of `bound` would favour small results.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do x = engine_();
    while (x >= limit);
    return x % bound;
}

std::vector<int64_t> SubsetSampler::draw(int64_t n, int64_t size) {
    if (size > n || size < 0) throw std::logic_error("SubsetSampler::draw: size > n");
    std::vector<int64_t> pool(static_cast<size_t>(n));
    std::iota(pool.begin(), pool.end(), int64_t(0));
    for (int64_t i = 0; i < size; ++i)
        std::swap(pool[i], pool[i + static_cast<int64_t>(below(static_cast<uint64_t>(n - i)))]);
    pool.resize(static_cast<size_t>(size));
    return pool;
}

}  // namespace genhost::metrics
