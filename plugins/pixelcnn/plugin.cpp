// The PixelCNN family as genhost plugins: pixelcnn (van den Oord et al. 2016a) and
// gated_pixelcnn (van den Oord et al. 2016b, optionally class-conditional). Both model
//
//   p(x) = prod_i p(x_i | x_<i),   i over positions in raster order,
//
// each factor a softmax over L levels (256 for 8-bit pixels, 2 for binarized images: a
// Bernoulli). Training minimizes -log p(x) / D = the mean over positions of the
// cross-entropy of the logits against the true levels (nats/dim; bits/dim = that / ln 2).
// The host samples position by position (genhost.autoregressive/1); the plugin gives
// logits, the exact log-likelihood (genhost.likelihood/1, exact and discrete), and trains.
#include <algorithm>
#include <cmath>
#include <memory>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "cache.hpp"
#include "gated.hpp"
#include "pixelcnn.hpp"

using namespace genhost::engine;
using Rng = genhost::engine::Generator;

namespace {

constexpr int64_t kEvalChunk = 64;  // images per forward pass when scoring

constexpr const char* kInputHelp =
    "how the network sees a level: value: level / (L - 1), in [0, 1], where black is 0 like the zero padding "
    "beyond the image's edges; centered: 2 * level / (L - 1) - 1, in [-1, 1], so black (-1) differs from the "
    "padding and the first layer sees where the image begins (lower bits/dim, plugins/pixelcnn/README.md)";
constexpr const char* kInputDefault = ". value is the default because checkpoints from before centered expect it";

pixelcnn::ImageShape image_shape(const genhost::Context& c, bool conditional) {
    if (!c.data.known)
        throw std::invalid_argument("a PixelCNN needs to know the image shape: give the pipeline a data: section, "
                                    "or a model.checkpoint written by a training run");
    pixelcnn::ImageShape s;
    s.channels = c.data.channels, s.height = c.data.height, s.width = c.data.width;
    s.levels = c.params.integer("levels");
    s.classes = conditional ? c.data.num_classes : 0;
    if (conditional && s.classes == 0)
        throw std::invalid_argument("conditional: true needs labelled data (the dataset has no labels); set "
                                    "conditional: false or use a labelled dataset");
    return s;
}

genhost::ParamSchema common_params(genhost::ParamSchema s) {
    return s
        .integer("levels", 256,
                 "L, the values of each pixel: 256 for 8-bit intensities (level = round(x * 255) of the [0, 1] "
                 "data), 2 for binarized images (a Bernoulli per pixel: use with data.binarize), K for the code "
                 "maps of a VQ-VAE's codebook (data.encode_with)",
                 2, 4096)
        .integer("channels", 64, "width of the hidden layers", 2, 1024)
        .integer("output_channels", 64, "width of the hidden 1x1 output layer", 1, 4096)
        .boolean("sample_cache", true,
                 "sampling keeps every layer's activations between positions and computes only the new pixel "
                 "(Ramachandran et al. 2017); false: each position from the window it depends on (to measure)");
}

// Everything but the network: levels in and out, training, the capabilities.
class AutoregressiveModel : public genhost::Trainable, public genhost::Autoregressive, public genhost::Likelihood {
public:
    AutoregressiveModel(const genhost::Context& c, const pixelcnn::ImageShape& shape)
        : shape_(shape), sample_cache_(c.params.boolean("sample_cache")),
          centered_(c.params.string("input") == "centered"), lo_(c.data.range_min), hi_(c.data.range_max) {
        if (!(hi_ > lo_))
            throw std::invalid_argument("the data range [" + std::to_string(lo_) + ", " + std::to_string(hi_) +
                                        "] is empty: range_max must be greater than range_min");
        set_num_threads(static_cast<int>(c.host.num_threads()));
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    // The weights may change after either call: the sampling cache is dropped.
    std::vector<genhost::Parameter> parameters() override {
        cache_.reset();
        return genhost::expose(params_);
    }
    void after_update(uint32_t) override { cache_.reset(); }
    std::vector<genhost::Phase> phases() override { return {{"train", "model", {"loss", "bits_per_dim"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        cache_.reset();
        const int64_t n = check_images(batch.images);
        std::vector<int64_t> levels = to_levels(batch.images.data(), n);
        Tensor logits = (*net_)(as_input(levels.data(), n, shape_.height, shape_.width), labels_of(batch.labels, n));
        Tensor loss = cross_entropy(logits, levels);  // nats per dimension
        loss.backward();
        losses[0] = loss.item(), losses[1] = loss.item() / static_cast<float>(std::log(2.0));
    }

    // ---- genhost.autoregressive/1 ----------------------------------------------------
    int64_t num_levels() const override { return shape_.levels; }
    std::array<int64_t, 3> sample_shape() const override { return {shape_.channels, shape_.height, shape_.width}; }
    int64_t num_classes() const override { return shape_.classes; }

    void logits(const genhost::LabelView& x, const std::optional<genhost::LabelView>& labels,
                const genhost::MutableTensorView& out) override {
        x.expect_shape({-1, shape_.channels, shape_.height, shape_.width}, "x");
        const int64_t n = x.dim(0);
        out.expect_shape({n, shape_.levels, shape_.channels, shape_.height, shape_.width}, "logits");
        NoGradGuard no_grad;
        const int64_t per = shape_.channels * shape_.height * shape_.width;
        for (int64_t first = 0; first < n; first += kEvalChunk) {
            const int64_t m = std::min(kEvalChunk, n - first);
            Tensor l = (*net_)(as_input(x.data() + first * per, m, shape_.height, shape_.width),
                               labels_of(labels, m, first));
            std::copy(l.data(), l.data() + l.numel(), out.data() + first * per * shape_.levels);
        }
    }

    // One position per call. A sampling run (positions 0, 1, 2, ... with x changed only at
    // the position just sampled, as genhost.autoregressive/1 promises) is answered from a
    // cache of every layer's activations at the pixels already computed, computing each
    // layer at the new pixel only (cache.hpp, Ramachandran et al. 2017). The cache checks
    // each call against the image it was built from, so any other order of calls (a check
    // at a few positions, a skipped position) stays exact: the skipped pixels are caught up,
    // or the network runs on the window the output depends on (network.hpp, reach).
    bool has_logits_at() const override { return true; }
    void logits_at(const genhost::LabelView& x, const std::optional<genhost::LabelView>& labels, int64_t position,
                   const genhost::MutableTensorView& out) override {
        const int64_t C = shape_.channels, H = shape_.height, W = shape_.width, L = shape_.levels;
        x.expect_shape({-1, C, H, W}, "x");
        const int64_t n = x.dim(0);
        out.expect_shape({n, L}, "logits");
        if (position < 0 || position >= C * H * W)
            throw std::invalid_argument("position " + std::to_string(position) + " is outside [0, " +
                                        std::to_string(C * H * W) + ")");
        NoGradGuard no_grad;
        Tensor input = as_input(x.data(), n, H, W);
        Tensor l;  // [n, L]
        if (sample_cache_) {
            if (!cache_) cache_ = std::make_unique<pixelcnn::CachedLogits>(*net_, shape_);
            l = (*cache_)(input, labels_of(labels, n), position);
        } else {
            l = pixelcnn::window_logits(*net_, shape_, input, labels_of(labels, n), position);
        }
        std::copy(l.data(), l.data() + n * L, out.data());
    }

    // ---- genhost.likelihood/1 --------------------------------------------------------
    // log p(x) = sum_i log softmax(logits_i)[x_i], exact; a probability mass over levels.
    void log_likelihood(const genhost::LikelihoodRequest& request, const genhost::MutableTensorView& out) override {
        const int64_t n = check_images(request.images);
        out.expect_shape({n}, "log-likelihoods");
        NoGradGuard no_grad;
        const int64_t per = shape_.channels * shape_.height * shape_.width;
        for (int64_t first = 0; first < n; first += kEvalChunk) {
            const int64_t m = std::min(kEvalChunk, n - first);
            std::vector<int64_t> levels = to_levels(request.images.data() + first * per, m);
            Tensor lp = log_softmax((*net_)(as_input(levels.data(), m, shape_.height, shape_.width),
                                            labels_of(request.labels, m, first)),
                                    1);
            const float* p = lp.data();
            for (int64_t i = 0; i < m; ++i) {
                double sum = 0;
                for (int64_t j = 0; j < per; ++j) sum += p[(i * shape_.levels + levels[i * per + j]) * per + j];
                out.data()[first + i] = static_cast<float>(sum);
            }
        }
    }
    uint32_t likelihood_properties() const override { return GENHOST_LIKELIHOOD_EXACT | GENHOST_LIKELIHOOD_DISCRETE; }

protected:
    pixelcnn::ImageShape shape_;
    Parameters params_;
    Tensor input_embedding_;  // [L, E] with input: embedding, else undefined
    std::unique_ptr<pixelcnn::Network> net_;
    bool sample_cache_;
    bool centered_;  // input: centered
    std::unique_ptr<pixelcnn::CachedLogits> cache_;  // logits_at's, for one sampling run at a time

private:
    int64_t check_images(const genhost::TensorView& images) const {
        images.expect_shape({-1, shape_.channels, shape_.height, shape_.width}, "images");
        return images.dim(0);
    }

    // Images in the data range -> levels round((x - lo) / (hi - lo) * (L - 1)).
    std::vector<int64_t> to_levels(const float* images, int64_t n) const {
        const int64_t count = n * shape_.channels * shape_.height * shape_.width;
        const float scale = static_cast<float>(shape_.levels - 1) / (hi_ - lo_);
        std::vector<int64_t> levels(static_cast<size_t>(count));
        for (int64_t i = 0; i < count; ++i)
            levels[i] = std::clamp<int64_t>(std::lround((images[i] - lo_) * scale), 0, shape_.levels - 1);
        return levels;
    }

    // Levels -> the network's input: level / (L - 1) in [0, 1] (intensities, whose order
    // means something), 2 level / (L - 1) - 1 in [-1, 1] with input: centered, or with an
    // embedding table [L, E] the level's learned vector, [n, E, h, w] (categories, such as
    // codes, whose index order means nothing).
    //
    // Why centered: the convolutions pad the image with zeros, and in [0, 1] a zero is a
    // black pixel, so the first layer cannot tell the image's edge from black rows inside it
    // (deeper layers can, only indirectly, through their biases' nonzero activations beside
    // the zero padding). In [-1, 1] black is -1 and the padding 0 marks the edge: measured,
    // 3.242 against 3.380 bits/dim at the gated example's budget (plugins/pixelcnn/README.md).
    // PixelCNN++ gets the same from an extra input channel of ones.
    Tensor as_input(const int64_t* levels, int64_t n, int64_t h, int64_t w) const {
        const float inv = (centered_ ? 2.0f : 1.0f) / static_cast<float>(shape_.levels - 1);
        const float offset = centered_ ? -1.0f : 0.0f;
        const size_t count = static_cast<size_t>(n * shape_.channels * h * w);
        std::vector<float> v(count);
        for (size_t i = 0; i < count; ++i) {
            if (levels[i] < 0 || levels[i] >= shape_.levels)
                throw std::invalid_argument("x holds level " + std::to_string(levels[i]) + ", outside [0, " +
                                            std::to_string(shape_.levels) + ")");
            v[i] = static_cast<float>(levels[i]) * inv + offset;
        }
        if (input_embedding_.defined())  // single-channel images only (the gated network)
            return permute(embedding(input_embedding_, std::vector<int64_t>(levels, levels + count), {n, h, w}),
                           {0, 3, 1, 2});
        return Tensor::from_vector({n, shape_.channels, h, w}, std::move(v));
    }

    // Labels [first, first + n) for a conditional network (checked), else none.
    std::vector<int64_t> labels_of(const std::optional<genhost::LabelView>& labels, int64_t n, int64_t first = 0) const {
        if (shape_.classes == 0) return {};
        if (!labels) throw std::invalid_argument("a class-conditional PixelCNN needs a class label for each image");
        if (labels->dim(0) < first + n)
            throw std::invalid_argument("labels: expected " + std::to_string(first + n) + ", got " +
                                        std::to_string(labels->dim(0)));
        std::vector<int64_t> out(labels->data() + first, labels->data() + first + n);
        for (size_t i = 0; i < out.size(); ++i)
            if (out[i] < 0 || out[i] >= shape_.classes)
                throw std::invalid_argument("labels[" + std::to_string(first + int64_t(i)) + "] is " +
                                            std::to_string(out[i]) + ", outside the model's classes [0, " +
                                            std::to_string(shape_.classes) + ")");
        return out;
    }

    float lo_, hi_;
};

class PixelCnnPlugin : public AutoregressiveModel {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.pixelcnn", "PixelCNN", "1.0.0", "genhost",
                "PixelCNN (van den Oord et al. 2016, Pixel Recurrent Neural Networks): a 7x7 mask-A convolution, "
                "masked 3x3 mask-B layers (plain or residual blocks) and two 1x1 layers, a softmax over L levels "
                "per pixel (256, or 2 for binarized data). The host samples pixel by pixel and reports the exact "
                "log-likelihood in bits/dim. Has the blind spot of stacked masked convolutions (see "
                "gated_pixelcnn).",
                {"pixelcnn", "autoregressive", "trainable", "likelihood"},
                common_params(genhost::ParamSchema())
                    .integer("layers", 7, "masked 3x3 layers (or residual blocks) after the 7x7 input layer", 0, 64)
                    .choice("input", "value", {"value", "centered"}, std::string(kInputHelp) + kInputDefault)
                    .choice("block", "plain", {"plain", "residual"},
                            "plain: relu -> masked 3x3; residual: the paper's block relu -> 1x1 (half the "
                            "channels) -> relu -> masked 3x3 -> relu -> 1x1, added to its input")};
    }

    explicit PixelCnnPlugin(const genhost::Context& c) : AutoregressiveModel(c, image_shape(c, false)) {
        pixelcnn::PixelCnnConfig config;
        config.image = shape_;
        config.channels = c.params.integer("channels");
        config.layers = c.params.integer("layers");
        config.residual = c.params.string("block") == "residual";
        config.output_channels = c.params.integer("output_channels");
        Rng init(c.host.seed());
        net_ = std::make_unique<pixelcnn::PixelCnn>(params_, config, init);
    }
};

class GatedPixelCnnPlugin : public AutoregressiveModel {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.gated_pixelcnn", "Gated PixelCNN", "1.0.0", "genhost",
                "Gated PixelCNN (van den Oord et al. 2016, Conditional Image Generation with PixelCNN Decoders): "
                "vertical and horizontal stacks with tanh-sigmoid gates, the vertical-to-horizontal link, "
                "residual and skip connections, and no blind spot. conditional: true adds a learned per-class "
                "bias to every gate (sample.labels picks the classes); position_channels > 0 a learned bias per "
                "pixel. Single-channel images; a softmax over L "
                "levels per pixel (256, or 2 for binarized data).",
                {"pixelcnn", "autoregressive", "trainable", "likelihood", "conditional"},
                common_params(genhost::ParamSchema())
                    .integer("layers", 8, "gated layers, the first (first_kernel wide) included", 1, 64)
                    .integer("first_kernel", 7, "window width of the first layer (odd)", 3, 15)
                    .integer("kernel", 3, "window width of the other layers (odd)", 3, 15)
                    .boolean("conditional", false, "condition every gate on the class label")
                    .integer("position_channels", 0,
                             "P > 0: a learned map of P numbers per pixel, turned by a 1x1 convolution per layer "
                             "into a bias of every gate, so a pixel knows where in the image it is (the paper's "
                             "location-dependent conditioning); the map is H x W, so the model keeps the data's "
                             "image size; 0: none",
                             0, 256)
                    .choice("input", "value", {"value", "centered", "embedding"},
                            std::string(kInputHelp) +
                                "; embedding: as a learned vector of embedding_dim numbers (for codes, whose index "
                                "order means nothing)" + kInputDefault)
                    .integer("embedding_dim", 16, "input: embedding only: the size of a level's vector", 1, 1024)};
    }

    explicit GatedPixelCnnPlugin(const genhost::Context& c)
        : AutoregressiveModel(c, image_shape(c, c.params.boolean("conditional"))) {
        pixelcnn::GatedConfig config;
        config.image = shape_;
        config.channels = c.params.integer("channels");
        config.layers = c.params.integer("layers");
        config.first_kernel = c.params.integer("first_kernel");
        config.kernel = c.params.integer("kernel");
        config.output_channels = c.params.integer("output_channels");
        config.position_channels = c.params.integer("position_channels");
        Rng init(c.host.seed());
        if (c.params.string("input") == "embedding") {
            config.input_channels = c.params.integer("embedding_dim");
            input_embedding_ = params_.add_parameter("input.embedding",
                                                     init.normal({shape_.levels, config.input_channels}));
        }
        net_ = std::make_unique<pixelcnn::GatedPixelCnn>(params_, config, init);
    }
};

}  // namespace

GENHOST_PLUGINS(PixelCnnPlugin, GatedPixelCnnPlugin);
