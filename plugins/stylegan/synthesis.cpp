#include "synthesis.hpp"

#include <cmath>
#include <stdexcept>

using namespace genhost::engine;

namespace stylegan {

Synthesis::Synthesis(Parameters& p, const std::string& name, int64_t w_dim, const std::array<int64_t, 3>& ch,
                     int64_t image_channels, Generator& init) {
    constant_ = p.add_parameter(name + ".const", init.normal({1, ch[0], 7, 7}));
    struct Plan { int64_t in, out; bool up; int64_t size; };
    const Plan plan[] = {{ch[0], ch[0], false, 7}, {ch[0], ch[1], true, 14}, {ch[1], ch[1], false, 14},
                         {ch[1], ch[2], true, 28}, {ch[2], ch[2], false, 28}};
    for (const Plan& l : plan) {
        const std::string at = name + ".conv" + std::to_string(convs_.size());
        convs_.push_back({EqualLinear(p, at + ".affine", w_dim, l.in, init, /*bias_init=*/1.0f),
                          p.add_parameter(at + ".weight", init.normal({l.out, l.in, 3, 3})),
                          p.add_parameter(at + ".bias", Tensor::zeros({l.out})),
                          p.add_parameter(at + ".noise_strength", Tensor::zeros({1})),
                          1.0f / std::sqrt(static_cast<float>(l.in * 9)), l.up, l.size});
    }
    rgb_affine_ = std::make_unique<EqualLinear>(p, name + ".to_rgb.affine", w_dim, ch[2], init, 1.0f);
    rgb_weight_ = p.add_parameter(name + ".to_rgb.weight", init.normal({image_channels, ch[2], 1, 1}));
    rgb_bias_ = p.add_parameter(name + ".to_rgb.bias", Tensor::zeros({image_channels}));
    rgb_gain_ = 1.0f / std::sqrt(static_cast<float>(ch[2]));
}

std::vector<Tensor> Synthesis::draw_noise(int64_t n, uint64_t seed, const uint64_t* seeds) const {
    std::vector<Tensor> noise;
    std::vector<uint64_t> layer_seeds(static_cast<size_t>(n));
    for (size_t l = 0; l < convs_.size(); ++l) {
        const uint64_t salt = 0x9E3779B97F4A7C15ull * (l + 1);  // another stream per layer
        for (int64_t i = 0; i < n; ++i) layer_seeds[static_cast<size_t>(i)] = (seeds ? seeds[i] : seed + i) ^ salt;
        const int64_t s = convs_[l].size;
        noise.push_back(reshape(normal_rows(n, s * s, 0, layer_seeds.data()), {n, 1, s, s}));
    }
    return noise;
}

Tensor Synthesis::operator()(const Tensor& ws, const std::vector<Tensor>& noise) const {
    const int64_t n = ws.size(0), w_dim = ws.size(2);
    if (ws.dim() != 3 || ws.size(1) != num_ws())
        throw std::invalid_argument("synthesis: ws is " + shape_to_string(ws.shape()) + ", expected [N, " +
                                    std::to_string(num_ws()) + ", w_dim]");
    auto w_at = [&](int64_t l) { return reshape(slice(ws, 1, l, l + 1), {n, w_dim}); };
    Tensor x = expand(constant_, {n, constant_.size(1), 7, 7});
    for (size_t l = 0; l < convs_.size(); ++l) {
        const StyledConv& c = convs_[l];
        if (c.up) x = upsample_bilinear2d(x, 2);
        x = modulated_conv2d(x, c.weight * c.gain, c.affine(w_at(static_cast<int64_t>(l))), /*demodulate=*/true);
        x = x + c.noise_strength * noise[l];
        x = lrelu(x + reshape(c.bias, {1, c.bias.size(0), 1, 1}));
    }
    Tensor rgb = modulated_conv2d(x, rgb_weight_ * rgb_gain_, (*rgb_affine_)(w_at(num_ws() - 1)), false);
    return rgb + reshape(rgb_bias_, {1, rgb_bias_.size(0), 1, 1});
}

}  // namespace stylegan
