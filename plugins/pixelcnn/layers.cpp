#include "layers.hpp"

#include <cmath>
#include <stdexcept>

using namespace genhost::engine;

namespace pixelcnn {

namespace {

// torch.nn.Conv2d's default: weight and bias uniform in +-1/sqrt(fan_in).
Tensor uniform_fan_in(Generator& init, const Shape& shape, int64_t fan_in) {
    const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
    return init.uniform(shape, -bound, bound);
}

}  // namespace

Tensor make_mask(Mask type, int64_t out, int64_t in, int64_t k, const std::function<int64_t(int64_t)>& group_of_out,
                 const std::function<int64_t(int64_t)>& group_of_in) {
    Tensor m = Tensor::zeros({out, in, k, k});
    float* p = m.data();
    const int64_t c = k / 2;
    for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i) {
            const int64_t go = group_of_out(o), gi = group_of_in(i);
            const bool centre_open = type == Mask::A ? gi < go : gi <= go;
            for (int64_t r = 0; r < k; ++r)
                for (int64_t s = 0; s < k; ++s) {
                    const bool before = r < c || (r == c && s < c);
                    const bool open = before || (r == c && s == c && centre_open);
                    p[((o * in + i) * k + r) * k + s] = open ? 1.0f : 0.0f;
                }
        }
    return m;
}

MaskedConv::MaskedConv(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t k, Mask type,
                       int64_t groups, Generator& init, bool interleaved_out)
    : padding_(k / 2) {
    if (k % 2 != 1) throw std::invalid_argument(name + ": masked kernels must have an odd size, got " + std::to_string(k));
    weight = p.add_parameter(name + ".weight", uniform_fan_in(init, {out, in, k, k}, in * k * k));
    bias = p.add_parameter(name + ".bias", uniform_fan_in(init, {out}, in * k * k));
    auto of_out = [=](int64_t o) { return interleaved_out ? o % groups : block_group(o, out, groups); };
    auto of_in = [=](int64_t i) { return block_group(i, in, groups); };
    Tensor m = make_mask(type, out, in, k, of_out, of_in);
    full_mask_ = m;
    // The taps open for some channel pair go to the engine (Conv2dOptions::taps), which
    // then skips the others: the hidden half of the kernel costs nothing. Only a mask that
    // differs between channel pairs (the centre tap of colour images) is still multiplied.
    const float* pm = m.data();
    const int64_t T = k * k;
    if (T <= 64)
        for (int64_t j = 0; j < m.numel(); ++j)
            if (pm[j] != 0.0f) taps_ |= uint64_t(1) << (j % T);
    bool uniform = T <= 64;
    for (int64_t j = 0; j < m.numel() && uniform; ++j) uniform = (pm[j] != 0.0f) == ((taps_ >> (j % T) & 1) != 0);
    if (!uniform || taps_ == 0) mask_ = m;  // taps_ 0 would mean all open
}

Tensor MaskedConv::operator()(const Tensor& x) const {
    return conv2d(x, mask_.defined() ? weight * mask_ : weight, bias, {1, padding_, 1, 1, taps_});
}

// Geometry, with r = k / 2 and padding r on every side:
//   vertical_first   kernel r x k      output row y sees input rows y-r .. y-1
//   vertical         kernel (r+1) x k  rows y-r .. y
//   horizontal_first kernel 1 x r      row y, columns x-r .. x-1 (the padded output has
//   horizontal       kernel 1 x (r+1)  row y, columns x-r .. x    2r extra rows: skip r)
ShiftedConv::ShiftedConv(Parameters& p, const std::string& name, int64_t in, int64_t out, int64_t k, Kind kind,
                         Generator& init) {
    if (k % 2 != 1 || k < 3)
        throw std::invalid_argument(name + ": the kernel size must be odd and at least 3, got " + std::to_string(k));
    const int64_t r = k / 2;
    int64_t kh = 1, kw = 1;
    switch (kind) {
        case Kind::vertical_first: kh = r, kw = k; break;
        case Kind::vertical: kh = r + 1, kw = k; break;
        case Kind::horizontal_first: kh = 1, kw = r, row0_ = r; break;
        case Kind::horizontal: kh = 1, kw = r + 1, row0_ = r; break;
    }
    pad_ = r;
    weight = p.add_parameter(name + ".weight", uniform_fan_in(init, {out, in, kh, kw}, in * kh * kw));
    bias = p.add_parameter(name + ".bias", uniform_fan_in(init, {out}, in * kh * kw));
}

Tensor ShiftedConv::operator()(const Tensor& x) const {
    const int64_t h = x.size(2), w = x.size(3);
    Tensor y = conv2d(x, weight, bias, {1, pad_});
    return slice(slice(y, 2, row0_, row0_ + h), 3, col0_, col0_ + w);
}

Conv1x1::Conv1x1(Parameters& p, const std::string& name, int64_t in, int64_t out, Generator& init, bool with_bias) {
    weight = p.add_parameter(name + ".weight", uniform_fan_in(init, {out, in, 1, 1}, in));
    if (with_bias) bias = p.add_parameter(name + ".bias", uniform_fan_in(init, {out}, in));
}

Tensor Conv1x1::operator()(const Tensor& x) const { return conv2d(x, weight, bias); }

}  // namespace pixelcnn
