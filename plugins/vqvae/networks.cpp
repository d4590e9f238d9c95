#include "networks.hpp"

using namespace genhost::engine;

namespace vqvae {

namespace {
Conv2dOptions padded(int64_t padding) { return Conv2dOptions{1, padding, 1, 1}; }
Conv2dOptions halving() { return Conv2dOptions{2, 1, 1, 1}; }
ConvTranspose2dOptions doubling() { return ConvTranspose2dOptions{2, 1, 0, 1, 1}; }
}  // namespace

ResBlock::ResBlock(Parameters& p, const std::string& name, int64_t channels, Generator& init)
    : conv1(p, name + ".conv1", channels, channels / 2, 3, padded(1), init),
      conv2(p, name + ".conv2", channels / 2, channels, 1, padded(0), init) {}

Tensor ResBlock::operator()(const Tensor& x) const { return x + conv2(relu(conv1(relu(x)))); }

Encoder::Encoder(Parameters& p, const NetworkShape& s, Generator& init)
    : conv1_(p, "encoder.conv1", s.channels, s.hidden / 2, 4, halving(), init),
      conv2_(p, "encoder.conv2", s.hidden / 2, s.hidden, 4, halving(), init),
      conv3_(p, "encoder.conv3", s.hidden, s.hidden, 3, padded(1), init),
      out_(p, "encoder.out", s.hidden, s.code_dim, 1, padded(0), init) {
    for (int64_t i = 0; i < s.res_blocks; ++i) res_.emplace_back(p, "encoder.res" + std::to_string(i + 1), s.hidden, init);
}

Tensor Encoder::operator()(const Tensor& x) const {
    Tensor h = conv3_(relu(conv2_(relu(conv1_(x)))));
    for (const ResBlock& r : res_) h = r(h);
    return out_(relu(h));
}

Decoder::Decoder(Parameters& p, const NetworkShape& s, Generator& init)
    : in_(p, "decoder.conv_in", s.code_dim, s.hidden, 3, padded(1), init),
      deconv1_(p, "decoder.deconv1", s.hidden, s.hidden / 2, 4, doubling(), init),
      deconv2_(p, "decoder.deconv2", s.hidden / 2, s.channels, 4, doubling(), init) {
    for (int64_t i = 0; i < s.res_blocks; ++i) res_.emplace_back(p, "decoder.res" + std::to_string(i + 1), s.hidden, init);
}

Tensor Decoder::operator()(const Tensor& z) const {
    Tensor h = in_(z);
    for (const ResBlock& r : res_) h = r(h);
    return deconv2_(relu(deconv1_(relu(h))));
}

}  // namespace vqvae
