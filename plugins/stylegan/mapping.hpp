// The mapping network f: Z -> W (StyleGAN, Karras et al. 2019, sec. 2): z ~ N(0, I) is
// normalised to unit second moment, then `layers` fully connected layers with leaky ReLU
// map it to w. W need not follow a fixed distribution, so its axes can untangle the
// factors of variation; the learning rate is 100x lower than the synthesis network's
// (lr_mul 0.01, through the equalized learning rate of layers.hpp).
#pragma once

#include <vector>

#include "layers.hpp"

namespace stylegan {

class Mapping {
public:
    Mapping(genhost::engine::Parameters& p, const std::string& name, int64_t z_dim, int64_t w_dim, int64_t layers,
            genhost::engine::Generator& init);
    Tensor operator()(const Tensor& z) const;  // [N, z_dim] -> [N, w_dim]

private:
    std::vector<EqualLinear> fc_;
};

}  // namespace stylegan
