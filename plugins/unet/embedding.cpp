#include "embedding.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace genhost::unet {

engine::Tensor timestep_embedding(const std::vector<float>& timesteps, int64_t dim) {
    if (dim < 2) throw std::invalid_argument("timestep_embedding: dim must be >= 2, got " + std::to_string(dim));
    const int64_t n = static_cast<int64_t>(timesteps.size());
    const int64_t half = dim / 2;
    std::vector<float> out(static_cast<size_t>(n * dim), 0.0f);
    for (int64_t i = 0; i < half; ++i) {
        // Computed in float as torch does, so the fixture matches to rounding.
        const float freq = std::exp(-std::log(10000.0f) * static_cast<float>(i) / static_cast<float>(half));
        for (int64_t b = 0; b < n; ++b) {
            const float arg = timesteps[static_cast<size_t>(b)] * freq;
            out[static_cast<size_t>(b * dim + i)] = std::cos(arg);
            out[static_cast<size_t>(b * dim + half + i)] = std::sin(arg);
        }
    }
    return engine::Tensor::from_vector({n, dim}, std::move(out));
}

}  // namespace genhost::unet
