// What the host does with a style-based generator (genhost.style/1): it draws z, maps it
// to w, builds one w per synthesis layer and asks for images. Style mixing, truncation
// and walks in W are then arrangements of ws, the same for any plugin with the extension.
#pragma once

#include <cstdint>
#include <vector>

#include "loader/instance.hpp"
#include "sample/sampler.hpp"

namespace genhost::sample {

class StyleSpace {
public:
    explicit StyleSpace(const loader::PluginInstance& model);  // throws if it has no genhost.style/1

    int64_t w_dim() const { return dims_.w_dim; }
    int64_t num_ws() const { return dims_.num_ws; }

    // n ws [n, w_dim], the mapping of z ~ N(0, I) drawn from `seed`.
    std::vector<float> prior_ws(int64_t n, uint64_t seed) const;
    // The average w the model tracked in training, [w_dim].
    std::vector<float> w_avg() const;
    // w_avg + psi (w - w_avg) for every row of ws [n, w_dim].
    std::vector<float> truncate(const std::vector<float>& ws, float psi) const;
    // Images of per-layer ws [n, num_ws, w_dim], all with the noise of `noise_seed`.
    Images synthesize(const std::vector<float>& layer_ws, uint64_t noise_seed) const;
    // Images of ws [n, w_dim], each w fed to every layer.
    Images synthesize_same(const std::vector<float>& ws, uint64_t noise_seed) const;
    // Per-layer ws [1, num_ws, w_dim]: layers [0, coarse) from `a`, the rest from `b` (both [w_dim]).
    std::vector<float> mix(const float* a, const float* b, int64_t coarse) const;

private:
    const loader::PluginInstance& model_;
    const genhost_style* api_;
    loader::PluginInstance::StyleDims dims_;
    std::array<int64_t, 3> shape_;
};

}  // namespace genhost::sample
