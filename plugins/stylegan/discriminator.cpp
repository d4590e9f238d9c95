#include "discriminator.hpp"

using namespace genhost::engine;

namespace stylegan {

Discriminator::Discriminator(Parameters& p, const std::string& name, int64_t image_channels,
                             const std::array<int64_t, 3>& ch, Generator& init) {
    auto conv = [&](int64_t in, int64_t out, int64_t k) {
        convs_.emplace_back(p, name + ".conv" + std::to_string(convs_.size()), in, out, k, init);
    };
    conv(image_channels, ch[0], 1);                   // fromRGB
    conv(ch[0], ch[0], 3), conv(ch[0], ch[1], 3);     // 28x28
    conv(ch[1], ch[1], 3), conv(ch[1], ch[2], 3);     // 14x14
    conv(ch[2] + 1, ch[2], 3);                        // 7x7, after the stddev channel
    fc_ = std::make_unique<EqualLinear>(p, name + ".fc", ch[2] * 7 * 7, ch[2], init);
    out_ = std::make_unique<EqualLinear>(p, name + ".out", ch[2], 1, init);
}

Tensor Discriminator::operator()(const Tensor& x) const {
    Tensor h = lrelu(convs_[0](x));
    h = lrelu(convs_[2](lrelu(convs_[1](h))));
    h = avg_pool2d(h, 2);
    h = lrelu(convs_[4](lrelu(convs_[3](h))));
    h = avg_pool2d(h, 2);
    h = lrelu(convs_[5](minibatch_stddev(h)));
    return reshape((*out_)(lrelu((*fc_)(flatten(h)))), {x.size(0)});
}

Tensor minibatch_stddev(const Tensor& x) {
    const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
    Tensor s = mean(sqrt(var(x, {0}, false, /*unbiased=*/false) + 1e-8f));  // one number for the batch
    return concat({x, expand(reshape(s, {1, 1, 1, 1}), {n, 1, h, w})}, 1);
}

}  // namespace stylegan
