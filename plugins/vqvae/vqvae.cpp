// VQ-VAE (van den Oord et al. 2017, Neural Discrete Representation Learning): an
// autoencoder whose latent is a grid of discrete codes, the first stage of a two-stage
// model. The encoder maps an image to z_e [D, H/4, W/4] (7x7 for 28x28), each D-vector is
// replaced by its nearest code vector (quantizer.hpp), and the decoder reconstructs
//
//   loss = ||x - sigmoid(D(z_q))||^2 + ||sg[z_e] - z_q||^2 + beta ||z_e - sg[z_q]||^2
//
// (the codebook term replaced by moving averages with codebook_update: ema). The model has
// no prior of its own: the host trains a PixelCNN on its code maps (genhost.quantizer/1;
// data.encode_with) and decodes what that prior samples (sample.decode_with);
// docs/two-stage.md.
#include <algorithm>
#include <cmath>
#include <memory>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "networks.hpp"
#include "quantizer.hpp"

using namespace genhost::engine;
using Rng = genhost::engine::Generator;

namespace {

constexpr int64_t kEvalChunk = 256;  // images per forward pass when encoding or decoding

class VqVae : public genhost::Trainable, public genhost::Quantizer {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.vqvae", "VQ-VAE", "1.0.0", "genhost",
                "VQ-VAE (van den Oord et al. 2017): a convolutional encoder to a grid of D-vectors (a quarter of "
                "the image side: 7x7 for 28x28), each replaced by the nearest of K code vectors, straight-through "
                "gradients, and a decoder back to the image. The codebook learns by the codebook loss or by "
                "moving averages with restarts of dead codes; the training log shows codebook usage "
                "(perplexity). Encodes images to code maps and decodes them (genhost.quantizer/1), so a PixelCNN "
                "prior can be trained on the codes (data.encode_with) and its samples decoded "
                "(sample.decode_with).",
                {"vqvae", "trainable", "quantizer"},
                genhost::ParamSchema()
                    .integer("codebook_size", 64, "K, the number of code vectors (the prior's levels)", 2, 4096)
                    .integer("code_dim", 16, "D, the size of a code vector", 1, 1024)
                    .integer("hidden", 64, "width of the convolutions (even)", 2, 1024)
                    .integer("res_blocks", 2, "residual blocks in the encoder and in the decoder", 0, 16)
                    .number("beta", 0.25, "weight of the commitment loss ||z_e - sg[z_q]||^2", 0.0, 100.0)
                    .choice("codebook_update", "loss", {"loss", "ema"},
                            "loss: codes learn by the codebook loss ||sg[z_e] - z_q||^2 and the optimizer; ema: "
                            "each code is the moving average of the encodings assigned to it (paper appendix "
                            "A.1), with restarts of dead codes")
                    .number("ema_decay", 0.99, "ema: decay d of the moving averages", 0.0, 0.99999)
                    .number("dead_code_threshold", 1.0,
                            "ema: a code whose moving-average count falls below this is restarted at a random "
                            "encoding of the batch; 0 = never",
                            0.0, 1e6)};
    }

    explicit VqVae(const genhost::Context& c) : lo_(c.data.range_min), hi_(c.data.range_max) {
        if (!c.data.known)
            throw std::invalid_argument("the VQ-VAE needs to know the image shape: give the pipeline a data: section, "
                                        "or a model.checkpoint written by a training run");
        if (!(hi_ > lo_))
            throw std::invalid_argument("the data range [" + std::to_string(lo_) + ", " + std::to_string(hi_) +
                                        "] is empty: range_max must be greater than range_min");
        if (c.data.height % 4 != 0 || c.data.width % 4 != 0)
            throw std::invalid_argument("the VQ-VAE downsamples by 4: image height and width must be multiples of 4, "
                                        "got " + std::to_string(c.data.height) + "x" + std::to_string(c.data.width));
        if (c.params.integer("hidden") % 2 != 0)
            throw std::invalid_argument("hidden must be even (the residual blocks use hidden / 2), got " +
                                        std::to_string(c.params.integer("hidden")));
        image_ = {c.data.channels, c.data.height, c.data.width};
        vqvae::NetworkShape s;
        s.channels = c.data.channels;
        s.hidden = c.params.integer("hidden");
        s.res_blocks = c.params.integer("res_blocks");
        s.code_dim = c.params.integer("code_dim");
        vqvae::QuantizerConfig q;
        q.codes = c.params.integer("codebook_size");
        q.dim = s.code_dim;
        q.ema = c.params.string("codebook_update") == "ema";
        q.decay = static_cast<float>(c.params.number("ema_decay"));
        q.dead_threshold = static_cast<float>(c.params.number("dead_code_threshold"));
        beta_ = static_cast<float>(c.params.number("beta"));
        set_num_threads(static_cast<int>(c.host.num_threads()));

        Rng init(c.host.seed());
        encoder_ = std::make_unique<vqvae::Encoder>(params_, s, init);
        quantizer_ = std::make_unique<vqvae::VectorQuantizer>(params_, q, init);
        decoder_ = std::make_unique<vqvae::Decoder>(params_, s, init);
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override {
        std::vector<genhost::Parameter> out = genhost::expose(params_);
        // The moving averages are statistics each process updates with its own batch:
        // data parallelism averages them (quantizer.hpp says why the mean is right).
        for (genhost::Parameter& p : out)
            if (p.name == "quantizer.ema_count" || p.name == "quantizer.ema_sum")
                p.reduce = genhost::Parameter::Reduce::mean;
        return out;
    }
    std::vector<genhost::Phase> phases() override {
        return {{"train", "model", {"loss", "recon", "codebook", "commitment", "perplexity", "restarts"}}};
    }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        const int64_t n = check_images(batch.images);
        Tensor x = to_unit(batch.images.data(), n);
        Rng rng(batch.seed);
        Tensor z_e = (*encoder_)(x);
        vqvae::Quantized q = (*quantizer_)(to_rows(z_e), /*training=*/true, rng);
        Tensor recon = mse_loss(sigmoid((*decoder_)(to_map(q.z_q, z_e))), x);
        Tensor loss = recon + q.codebook_loss + beta_ * q.commitment_loss;
        loss.backward();
        losses[0] = loss.item(), losses[1] = recon.item(), losses[2] = q.codebook_loss.item();
        losses[3] = q.commitment_loss.item(), losses[4] = q.perplexity, losses[5] = float(q.restarted);
    }

    // The host has applied (and, in data parallelism, combined) this step's updates.
    void after_update(uint32_t) override { quantizer_->refresh_codebook(); }

    // ---- genhost.quantizer/1 ---------------------------------------------------------
    int64_t codebook_size() const override { return quantizer_->config().codes; }
    std::array<int64_t, 3> code_shape() const override { return {1, image_[1] / 4, image_[2] / 4}; }

    void encode_codes(const genhost::TensorView& images, const genhost::MutableCodeView& codes) override {
        const int64_t n = check_images(images);
        const auto shape = code_shape();
        codes.expect_shape({n, shape[0], shape[1], shape[2]}, "codes");
        NoGradGuard no_grad;
        const int64_t per = image_[0] * image_[1] * image_[2], per_code = shape[1] * shape[2];
        for (int64_t first = 0; first < n; first += kEvalChunk) {
            const int64_t m = std::min(kEvalChunk, n - first);
            std::vector<int64_t> k = quantizer_->nearest(to_rows((*encoder_)(to_unit(images.data() + first * per, m))));
            std::copy(k.begin(), k.end(), codes.data() + first * per_code);
        }
    }

    void decode_codes(const genhost::LabelView& codes, const genhost::MutableTensorView& images) override {
        const auto shape = code_shape();
        codes.expect_shape({-1, shape[0], shape[1], shape[2]}, "codes");
        const int64_t n = codes.dim(0), per = image_[0] * image_[1] * image_[2], per_code = shape[1] * shape[2];
        images.expect_shape({n, image_[0], image_[1], image_[2]}, "images");
        NoGradGuard no_grad;
        for (int64_t first = 0; first < n; first += kEvalChunk) {
            const int64_t m = std::min(kEvalChunk, n - first);
            std::vector<int64_t> k(codes.data() + first * per_code, codes.data() + (first + m) * per_code);
            Tensor e = quantizer_->lookup(k);  // [m * h * w, D], rows in (n, y, x) order
            Tensor x = sigmoid((*decoder_)(permute(reshape(e, {m, shape[1], shape[2], -1}), {0, 3, 1, 2})));
            const float* p = x.data();
            for (int64_t i = 0; i < m * per; ++i) images.data()[first * per + i] = lo_ + (hi_ - lo_) * p[i];
        }
    }

private:
    // z_e [N, D, h, w] -> rows [N*h*w, D] in (n, y, x) order, and back.
    static Tensor to_rows(const Tensor& z) { return reshape(permute(z, {0, 2, 3, 1}), {-1, z.size(1)}); }
    static Tensor to_map(const Tensor& rows, const Tensor& like) {
        return permute(reshape(rows, {like.size(0), like.size(2), like.size(3), like.size(1)}), {0, 3, 1, 2});
    }

    int64_t check_images(const genhost::TensorView& images) const {
        images.expect_shape({-1, image_[0], image_[1], image_[2]}, "images");
        return images.dim(0);
    }

    // n images from the data range to [0, 1], [n, C, H, W].
    Tensor to_unit(const float* images, int64_t n) const {
        const int64_t count = n * image_[0] * image_[1] * image_[2];
        Tensor x = Tensor::from_vector({n, image_[0], image_[1], image_[2]}, {images, images + count});
        if (lo_ == 0.0f && hi_ == 1.0f) return x;
        return (x - lo_) * (1.0f / (hi_ - lo_));
    }

    float lo_, hi_, beta_ = 0.25f;
    std::array<int64_t, 3> image_{};
    Parameters params_;
    std::unique_ptr<vqvae::Encoder> encoder_;
    std::unique_ptr<vqvae::VectorQuantizer> quantizer_;
    std::unique_ptr<vqvae::Decoder> decoder_;
};

}  // namespace

GENHOST_PLUGINS(VqVae);
