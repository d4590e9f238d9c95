// The judge's CNN, a small VGG-style classifier (Simonyan & Zisserman 2015):
//
//   x [N, C, H, W] in [0, 1]
//   for each width w in conv_channels (a "stage"):
//       [conv 3x3, padding 1 -> relu] x convs_per_stage -> max pool 2x2   (H, W halve, rounded down)
//   flatten -> linear(feature_dim) -> relu          = the features (as Inception's pool3 for FID)
//   -> dropout (training only) -> linear(classes)   = the logits
//
// No BatchNorm: evaluation is then the training forward without dropout, and an image's
// features cannot depend on the other images of its batch.
#pragma once

#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace classifier {

using genhost::engine::Tensor;

struct NetworkShape {
    int64_t channels = 1, height = 28, width = 28;
    std::vector<int64_t> conv_channels{32, 64};
    int64_t convs_per_stage = 2;
    int64_t feature_dim = 128;
    int64_t classes = 10;
    float dropout = 0.0f;
};

class Network {
public:
    // Throws std::invalid_argument when the image is too small for the stages.
    Network(genhost::engine::Parameters& params, const NetworkShape& shape, genhost::engine::Generator& init);

    // x [N, C, H, W] -> logits [N, classes], recorded for backward. `noise` draws the dropout mask.
    Tensor logits(const Tensor& x, bool training, genhost::engine::Generator& noise) const;

    // Evaluation of x [N, C, H, W]: writes features [N, feature_dim] and logits [N, classes].
    // Each row comes out bit for bit the same whatever N (see dense_rows in network.cpp).
    void evaluate(const Tensor& x, float* features, float* logits) const;

    const NetworkShape& shape() const { return shape_; }

private:
    Tensor trunk(const Tensor& x) const;  // the stages, flattened: [N, flat_]

    NetworkShape shape_;
    int64_t flat_ = 0;  // the last stage's C * H * W
    std::vector<genhost::engine::Conv2d> conv_;
    genhost::engine::Linear features_, logits_;
};

}  // namespace classifier
