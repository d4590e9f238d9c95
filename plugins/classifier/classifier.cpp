// The classifier, genhost's "judge": a small CNN trained per dataset whose penultimate
// layer is the feature space of the sample-quality metrics (FID, KID, precision/recall)
// and whose softmax gives the class probabilities of the Inception Score. It plays the part
// Inception-v3 plays in the literature, for datasets Inception was never trained on.
//
//   p(y | x) = softmax(logits(x)),   loss = -1/N sum_i log p(y_i | x_i)   (cross entropy)
//
// Pixels are mapped from the data range to [0, 1] first, so a judge sees the same numbers
// whether the pipeline uses [0, 1] or [-1, 1].
#include <algorithm>
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "network.hpp"

using namespace genhost::engine;

namespace {

// Images are embedded in slices of this many, so a large request does not allocate
// activations for all of them at once (any slice size gives the same features).
constexpr int64_t kEvalChunk = 256;

classifier::NetworkShape shape_from(const genhost::Context& c) {
    if (!c.data.known)
        throw std::invalid_argument("the classifier needs to know the image shape: give the pipeline a data: "
                                    "section, or a model.checkpoint written by a training run");
    if (c.data.num_classes == 0)
        throw std::invalid_argument("the classifier needs labelled data (data.num_classes = 0)");
    if (!(c.data.range_max > c.data.range_min))
        throw std::invalid_argument("the data range [" + std::to_string(c.data.range_min) + ", " +
                                    std::to_string(c.data.range_max) + "] is empty");
    classifier::NetworkShape s;
    s.channels = c.data.channels, s.height = c.data.height, s.width = c.data.width;
    s.classes = c.data.num_classes;
    s.conv_channels = c.params.integers("conv_channels");
    s.convs_per_stage = c.params.integer("convs_per_stage");
    s.feature_dim = c.params.integer("feature_dim");
    s.dropout = static_cast<float>(c.params.number("dropout"));
    return s;
}

class Classifier : public genhost::Trainable, public genhost::Embedder {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.classifier", "Image classifier (judge)", "1.0.0", "genhost",
                "A small VGG-style CNN trained with cross entropy on a labelled dataset: stages of 3x3 "
                "convolutions with ReLU, each ending in a 2x2 max pool, then a dense layer of feature_dim units "
                "and the class logits. As a feature network (genhost.embedder/1) it gives the dense layer's "
                "activations as features and the softmax as class probabilities, the 'judge' that FID, KID, "
                "precision/recall and the Inception Score measure samples with. Needs labelled data.",
                {"classifier", "trainable", "embedder"},
                genhost::ParamSchema()
                    .custom("conv_channels",
                            {{"type", "array"},
                             {"default", std::vector<int64_t>{32, 64}},
                             {"description", "width of each stage, 1 to 6 of them in [1, 1024]; each stage halves "
                                             "height and width (rounded down), which must stay >= 1"},
                             {"minItems", 1},
                             {"maxItems", 6},
                             {"items", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1024}}}})
                    .integer("convs_per_stage", 2, "3x3 convolutions (each followed by ReLU) per stage", 1, 4)
                    .integer("feature_dim", 128, "D: units of the dense layer whose activations are the features",
                             1, 65536)
                    .number("dropout", 0.0, "dropout on the features while training (never when embedding)", 0.0,
                            0.9)};
    }

    explicit Classifier(const genhost::Context& c)
        : lo_(c.data.range_min), hi_(c.data.range_max) {
        classifier::NetworkShape s = shape_from(c);
        set_num_threads(static_cast<int>(c.host.num_threads()));
        Rng init(c.host.seed());
        net_ = std::make_unique<classifier::Network>(params_, s, init);
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }
    // "accuracy" is reported, not minimised: the fraction of the batch classified right.
    std::vector<genhost::Phase> phases() override { return {{"train", "model", {"loss", "accuracy"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        const int64_t n = check_images(batch.images);
        if (n == 0) throw std::invalid_argument("train_phase: the batch is empty");
        if (!batch.labels) throw std::invalid_argument("the classifier needs labelled data (the batch has no labels)");
        batch.labels->expect_shape({n}, "labels");
        std::vector<int64_t> y(batch.labels->data(), batch.labels->data() + n);
        for (int64_t i = 0; i < n; ++i) check_label(y[static_cast<size_t>(i)], i);

        Rng noise(batch.seed);
        Tensor logits = net_->logits(to_unit(batch.images.data(), n), /*training=*/true, noise);
        Tensor loss = cross_entropy(logits, y);
        loss.backward();  // adds into the grads the host zeroed
        losses[0] = loss.item();
        losses[1] = accuracy(logits, y);
    }

    // ---- genhost.embedder/1 ----------------------------------------------------------
    int64_t feature_dim() const override { return net_->shape().feature_dim; }
    int64_t embedding_classes() const override { return net_->shape().classes; }

    void embed(const genhost::TensorView& images, const genhost::MutableTensorView& features,
               const std::optional<genhost::MutableTensorView>& probabilities) override {
        const int64_t n = check_images(images);
        const int64_t d = feature_dim(), k = embedding_classes();
        std::vector<float> logits(static_cast<size_t>(std::min(n, kEvalChunk) * k));
        for (int64_t start = 0; start < n; start += kEvalChunk) {
            const int64_t m = std::min(kEvalChunk, n - start);
            net_->evaluate(to_unit(images.data() + start * pixels(), m), features.data() + start * d, logits.data());
            if (probabilities) softmax_rows(logits.data(), m, k, probabilities->data() + start * k);
        }
    }

private:
    // The engine's random number generator (a name that reads well next to the capabilities).
    using Rng = genhost::engine::Generator;

    int64_t pixels() const { return net_->shape().channels * net_->shape().height * net_->shape().width; }

    int64_t check_images(const genhost::TensorView& images) const {
        const auto& s = net_->shape();
        images.expect_shape({-1, s.channels, s.height, s.width}, "images");
        return images.dim(0);
    }

    void check_label(int64_t label, int64_t i) const {
        if (label < 0 || label >= net_->shape().classes)
            throw std::invalid_argument("labels[" + std::to_string(i) + "] is " + std::to_string(label) +
                                        ", outside the classes [0, " + std::to_string(net_->shape().classes) + ")");
    }

    // n images from the data range to [0, 1], as [n, C, H, W].
    Tensor to_unit(const float* images, int64_t n) const {
        const auto& s = net_->shape();
        Tensor x = Tensor::from_vector({n, s.channels, s.height, s.width}, {images, images + n * pixels()});
        if (lo_ == 0.0f && hi_ == 1.0f) return x;
        return (x - lo_) * (1.0f / (hi_ - lo_));
    }

    // The fraction of rows whose largest logit is the label's (ties go to the first).
    static float accuracy(const Tensor& logits, const std::vector<int64_t>& y) {
        const int64_t n = logits.size(0), k = logits.size(1);
        int64_t right = 0;
        for (int64_t i = 0; i < n; ++i) {
            const float* row = logits.data() + i * k;
            right += std::max_element(row, row + k) - row == y[static_cast<size_t>(i)];
        }
        return static_cast<float>(right) / static_cast<float>(n);
    }

    // p_j = exp(l_j - max l) / sum_i exp(l_i - max l), row by row.
    static void softmax_rows(const float* logits, int64_t n, int64_t k, float* out) {
        for (int64_t i = 0; i < n; ++i) {
            const float* l = logits + i * k;
            const float top = *std::max_element(l, l + k);
            double total = 0.0;
            for (int64_t j = 0; j < k; ++j) total += std::exp(static_cast<double>(l[j] - top));
            for (int64_t j = 0; j < k; ++j)
                out[i * k + j] = static_cast<float>(std::exp(static_cast<double>(l[j] - top)) / total);
        }
    }

    float lo_, hi_;
    Parameters params_;
    std::unique_ptr<classifier::Network> net_;
};

}  // namespace

GENHOST_PLUGINS(Classifier);
