#include "network.hpp"

#include <algorithm>
#include <stdexcept>

using namespace genhost::engine;

namespace classifier {

namespace {

const Conv2dOptions kSame{1, 1};  // 3x3, stride 1, padding 1: the side is kept

// C * H * W after the stages; each max pool halves the side, rounded down as torch does.
int64_t flat_size(const NetworkShape& s) {
    if (s.conv_channels.empty()) throw std::invalid_argument("conv_channels needs at least one entry, e.g. [32, 64]");
    int64_t h = s.height, w = s.width;
    for (size_t i = 0; i < s.conv_channels.size(); ++i) h /= 2, w /= 2;
    if (h < 1 || w < 1)
        throw std::invalid_argument("conv_channels has " + std::to_string(s.conv_channels.size()) +
                                    " stages, each halving the image, but the data is only " +
                                    std::to_string(s.height) + "x" + std::to_string(s.width) +
                                    ": use fewer conv_channels entries");
    return s.conv_channels.back() * h * w;
}

std::vector<Conv2d> make_convs(Parameters& params, const NetworkShape& s, Generator& init) {
    std::vector<Conv2d> convs;
    int64_t in = s.channels;
    for (size_t stage = 0; stage < s.conv_channels.size(); ++stage)
        for (int64_t i = 0; i < s.convs_per_stage; ++i) {
            const std::string name = "stage" + std::to_string(stage + 1) + ".conv" + std::to_string(i + 1);
            convs.emplace_back(params, name, in, s.conv_channels[stage], 3, kSame, init);
            in = s.conv_channels[stage];
        }
    return convs;
}

// out[r] = act(W in[r] + b) for rows r < n; W [out_dim, in_dim] as torch stores it.
// A BLAS matrix product may round a row differently depending on how many rows it is
// given (OpenBLAS picks kernels and blockings by size), and the embedder promises features
// that do not depend on the batch. Here every output is summed over k in one fixed order,
// so a row's result is the same whatever n; the loop over outputs j still vectorises.
void dense_rows(const float* in, int64_t n, const Tensor& weight, const Tensor& bias, bool relu_after, float* out) {
    const int64_t out_dim = weight.size(0), in_dim = weight.size(1);
    std::vector<float> wt(static_cast<size_t>(in_dim * out_dim));  // [in_dim, out_dim]: rows of W^T
    for (int64_t j = 0; j < out_dim; ++j)
        for (int64_t k = 0; k < in_dim; ++k) wt[static_cast<size_t>(k * out_dim + j)] = weight.data()[j * in_dim + k];
    constexpr int64_t kRows = 8;  // rows sharing each pass over W^T (cache reuse only)
    std::vector<float> acc(static_cast<size_t>(kRows * out_dim));
    for (int64_t r0 = 0; r0 < n; r0 += kRows) {
        const int64_t rows = std::min(kRows, n - r0);
        std::fill(acc.begin(), acc.end(), 0.0f);
        for (int64_t k = 0; k < in_dim; ++k) {
            const float* w = wt.data() + k * out_dim;
            for (int64_t r = 0; r < rows; ++r) {
                const float x = in[(r0 + r) * in_dim + k];
                float* a = acc.data() + r * out_dim;
                for (int64_t j = 0; j < out_dim; ++j) a[j] += w[j] * x;
            }
        }
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t j = 0; j < out_dim; ++j) {
                const float v = acc[static_cast<size_t>(r * out_dim + j)] + bias.data()[j];
                out[(r0 + r) * out_dim + j] = relu_after && v < 0.0f ? 0.0f : v;
            }
    }
}

}  // namespace

Network::Network(Parameters& params, const NetworkShape& shape, Generator& init)
    : shape_(shape), flat_(flat_size(shape)), conv_(make_convs(params, shape, init)),
      features_(params, "features", flat_, shape.feature_dim, init),
      logits_(params, "logits", shape.feature_dim, shape.classes, init) {}

Tensor Network::trunk(const Tensor& x) const {
    Tensor h = x;
    size_t next = 0;
    for (size_t stage = 0; stage < shape_.conv_channels.size(); ++stage) {
        for (int64_t i = 0; i < shape_.convs_per_stage; ++i) h = relu(conv_[next++](h));
        h = max_pool2d(h, 2);
    }
    return flatten(h);
}

Tensor Network::logits(const Tensor& x, bool training, Generator& noise) const {
    Tensor f = relu(features_(trunk(x)));
    if (shape_.dropout > 0.0f) f = dropout(f, shape_.dropout, training, noise);
    return logits_(f);
}

void Network::evaluate(const Tensor& x, float* features, float* logits) const {
    NoGradGuard no_grad;
    Tensor h = trunk(x);  // convolutions, relu and pooling work image by image
    const int64_t n = x.size(0);
    dense_rows(h.data(), n, features_.weight, features_.bias, true, features);
    dense_rows(features, n, logits_.weight, logits_.bias, false, logits);
}

}  // namespace classifier
