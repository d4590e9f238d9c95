#include "mapping.hpp"

using namespace genhost::engine;

namespace stylegan {

Mapping::Mapping(Parameters& p, const std::string& name, int64_t z_dim, int64_t w_dim, int64_t layers,
                 Generator& init) {
    int64_t in = z_dim;
    for (int64_t i = 0; i < layers; ++i, in = w_dim)
        fc_.emplace_back(p, name + ".fc" + std::to_string(i), in, w_dim, init, 0.0f, /*lr_mul=*/0.01f);
}

Tensor Mapping::operator()(const Tensor& z) const {
    Tensor h = z * pow(mean(square(z), {1}, true) + 1e-8f, -0.5f);  // z / sqrt(E[z^2])
    for (const EqualLinear& fc : fc_) h = lrelu(fc(h));
    return h;
}

}  // namespace stylegan
