// Variational autoencoder (Kingma & Welling, 2014), with beta-VAE (Higgins et al., 2017)
// and conditional VAE (Sohn et al., 2015) as params.
//
//   encoder q(z|x[,y]) = N(mu(x), diag(exp(logvar(x))))      decoder p(x|z[,y])
//   ELBO = E_q[log p(x|z)] - KL(q(z|x) || N(0, I))
//   loss = recon + beta * kl,  recon = -log p(x|z) with one z ~ q, kl as above, both per
//   image and averaged over the batch.
// The reparameterisation trick z = mu + exp(logvar / 2) * eps, eps ~ N(0, I), makes the
// expectation differentiable in the encoder's weights.
//
// The likelihood capability bounds log p(x) (Burda et al., 2016):
//   K = 1:  log p(x|z) - KL           (the ELBO, one z, the KL in closed form)
//   K > 1:  log (1/K) sum_k p(x, z_k) / q(z_k|x),  z_k ~ q(z|x)
// pixel_likelihood.hpp says what the bound means for each p(x|z).
#include <algorithm>
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "networks.hpp"
#include "pixel_likelihood.hpp"

using namespace genhost::engine;
// The engine's random number generator; inside a class deriving from the generator
// capability (genhost::Generator) that name means the capability.
using Rng = genhost::engine::Generator;

namespace {

// Widths of a list of layers: at least one for conv, each in [1, 4096].
nlohmann::json widths(const std::vector<int64_t>& default_value, const std::string& doc) {
    return {{"type", "array"},
            {"default", default_value},
            {"description", doc},
            {"maxItems", 8},
            {"items", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4096}}}};
}

vae::PixelModel pixel_model(const genhost::Params& p) {
    if (p.string("likelihood") == "bernoulli") return vae::PixelModel::bernoulli;
    if (p.string("likelihood") == "logistic") return vae::PixelModel::logistic;
    if (p.string("likelihood") == "categorical") return vae::PixelModel::categorical;
    return p.string("gaussian_variance") == "learned" ? vae::PixelModel::gaussian_learned
                                                      : vae::PixelModel::gaussian_fixed;
}

// Images are evaluated in slices of this many, so a large request does not allocate
// activations for all of them at once.
constexpr int64_t kEvalChunk = 256;

class Vae : public genhost::Trainable, public genhost::Generator, public genhost::Latent, public genhost::Likelihood {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.vae", "Variational autoencoder", "1.2.0", "genhost",
                "A VAE (Kingma & Welling 2014) with an MLP or convolutional encoder and decoder; the default is "
                "PyTorch's examples/vae 784-400-20 MLP. beta > 1 gives a beta-VAE; conditional: true a conditional "
                "VAE whose encoder and decoder both see the class label. Encodes and decodes (latent capability) and "
                "bounds log p(x) in nats: the ELBO, or the importance-weighted bound with K samples. With the "
                "bernoulli likelihood on grey pixels the bound is that of a stochastically binarised image, not a "
                "density: compare it only with other bernoulli models. likelihood: logistic or categorical bound the "
                "probability of the 8-bit image (a discrete bound, in bits/dim on PixelCNN's footing).",
                {"vae", "trainable", "generator", "conditional", "latent", "likelihood"},
                genhost::ParamSchema()
                    .choice("architecture", "mlp", {"mlp", "conv"},
                            "mlp: fully connected layers of widths `hidden`; conv: 4x4 stride-2 convolutions of "
                            "widths `conv_channels` (each halves the side: 28 -> 14 -> 7) and transposed "
                            "convolutions back")
                    .custom("hidden", widths({400}, "mlp: hidden layer widths of the encoder, 0 to 8 of them in "
                                                    "[1, 4096] (the decoder mirrors them); unused by conv"))
                    .custom("conv_channels",
                            widths({32, 64}, "conv: channels of the encoder's convolutions, 1 to 8 of them in "
                                             "[1, 4096] (the decoder mirrors them); height and width must be "
                                             "divisible by 2^(number of entries); unused by mlp"))
                    .integer("latent_dim", 20, "size of the latent code z (unused with latent_channels)", 1, 4096)
                    .integer("latent_channels", 0,
                             "conv only: > 0 keeps the latent spatial, latent_channels feature maps of the last "
                             "convolution's size (4x7x7 for 4 and two conv_channels on 28x28), encoded by 1x1 "
                             "convolutions and decoded from a 3x3 one, as latent diffusion's first stage; 0 = a flat "
                             "code of latent_dim from fully connected layers",
                             0, 256)
                    .choice("likelihood", "bernoulli", {"bernoulli", "gaussian", "logistic", "categorical"},
                            "p(x|z): bernoulli (binary cross-entropy on logits, data mapped to [0,1]); gaussian "
                            "around sigmoid(decoder output) with the variance given by gaussian_variance; "
                            "logistic: discretized logistic over the 256 levels round(255 x), the decoder giving a "
                            "mean and a log-scale per pixel (Salimans et al. 2017); categorical: a 256-way softmax "
                            "per pixel, the decoder giving 256 logits per pixel, so its last layer is 256 times "
                            "wider (with mlp and hidden [400] on 28x28: 400 x 200704 = 80M weights, over 1 GB "
                            "with Adam's state; use conv). logistic and categorical report a discrete bound, "
                            "comparable with PixelCNN's bits/dim")
                    .choice("gaussian_variance", "fixed", {"fixed", "learned"},
                            "gaussian only: fixed (standard deviation gaussian_sigma) or learned (one trained "
                            "standard deviation per pixel, starting at gaussian_sigma, kept above "
                            "gaussian_min_sigma)")
                    .number("gaussian_sigma", 0.1, "gaussian only: the (initial) standard deviation, in (0, 1]",
                            1e-4, 1.0)
                    .number("gaussian_min_sigma", 0.01,
                            "gaussian, learned only: floor of the standard deviation, so the density cannot blow "
                            "up on pixels that never change (a black border)",
                            1e-4, 1.0)
                    .number("beta", 1.0, "weight of the KL term in training, >= 0; 1 is the plain VAE, > 1 a "
                                         "beta-VAE (the likelihood bound always uses 1)",
                            0.0, 1e4)
                    .integer("kl_warmup_steps", 0, "ramp beta linearly from 0 over this many steps; 0 = off", 0,
                             int64_t(1) << 40)
                    .boolean("conditional", false, "condition encoder and decoder on the class label (CVAE)")};
    }

    explicit Vae(const genhost::Context& c)
        : beta_(static_cast<float>(c.params.number("beta"))), warmup_(c.params.integer("kl_warmup_steps")),
          lo_(c.data.range_min), hi_(c.data.range_max) {
        if (!c.data.known)
            throw std::invalid_argument("the VAE needs to know the image shape: give the pipeline a data: section, "
                                        "or a model.checkpoint written by a training run");
        if (!(hi_ > lo_))
            throw std::invalid_argument("the data range [" + std::to_string(lo_) + ", " + std::to_string(hi_) +
                                        "] is empty: range_max must be greater than range_min");
        vae::NetworkShape s;
        s.architecture = c.params.string("architecture");
        s.hidden = c.params.integers("hidden");
        s.conv_channels = c.params.integers("conv_channels");
        s.channels = c.data.channels, s.height = c.data.height, s.width = c.data.width;
        s.latent_dim = c.params.integer("latent_dim");
        s.latent_channels = c.params.integer("latent_channels");
        if (s.latent_channels > 0) {
            if (s.architecture != "conv")
                throw std::invalid_argument("latent_channels needs architecture: conv (spatial latents are feature maps)");
            if (c.params.boolean("conditional"))
                throw std::invalid_argument("latent_channels: a conditional VAE with spatial latents is not supported; "
                                            "set conditional: false or latent_channels: 0");
            const int64_t down = int64_t(1) << s.conv_channels.size();
            if (c.data.height % down != 0 || c.data.width % down != 0)
                throw std::invalid_argument("latent_channels: the data's sides must be divisible by " +
                                            std::to_string(down) + " (one halving per conv_channels entry)");
            spatial_ = {s.latent_channels, c.data.height / down, c.data.width / down};
            s.latent_dim = s.latent_channels * spatial_[1] * spatial_[2];
        }
        s.classes = c.params.boolean("conditional") ? c.data.num_classes : 0;
        if (c.params.boolean("conditional") && s.classes == 0)
            throw std::invalid_argument("conditional: true needs labelled data (the dataset has no labels); "
                                        "set conditional: false or use a labelled dataset");
        const vae::PixelModel model = pixel_model(c.params);
        s.outputs_per_pixel = vae::outputs_per_pixel(model);
        discrete_ = vae::is_discrete(model);
        shape_ = s;
        pixels_ = s.channels * s.height * s.width;
        set_num_threads(static_cast<int>(c.host.num_threads()));

        Rng init(c.host.seed());
        encoder_ = std::make_unique<vae::Encoder>(params_, s, init);
        decoder_ = std::make_unique<vae::Decoder>(params_, s, init);
        pixel_ = std::make_unique<vae::PixelLikelihood>(params_, model, pixels_,
                                                        static_cast<float>(c.params.number("gaussian_sigma")),
                                                        static_cast<float>(c.params.number("gaussian_min_sigma")));
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }
    std::vector<genhost::Phase> phases() override { return {{"train", "model", {"loss", "recon", "kl"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        const int64_t n = check_images(batch.images);
        Tensor x = to_unit(batch.images.data(), n);
        check_labels(batch.labels, n);
        Tensor y = one_hot(batch.labels, n);

        auto [mu, logvar] = (*encoder_)(x, y);
        // eps row i from the host's seed for example i (ABI 1.3), so that training under
        // data parallelism computes what one process does with the global batch.
        Tensor eps = normal_rows(n, shape_.latent_dim, batch.seed, batch.seeds ? batch.seeds->data() : nullptr);
        Tensor z = mu + exp(0.5f * logvar) * eps;
        Tensor recon = pixel_->nll_mean((*decoder_)(z, y), x);
        Tensor kl = mean(vae::gaussian_kl_per_row(mu, logvar));
        Tensor loss = recon + kl_weight(batch.step) * kl;
        loss.backward();  // adds into the grads the host zeroed
        losses[0] = loss.item(), losses[1] = recon.item(), losses[2] = kl.item();
    }

    // ---- genhost.generator/1 ---------------------------------------------------------
    std::array<int64_t, 3> sample_shape() const override { return {shape_.channels, shape_.height, shape_.width}; }
    int64_t num_classes() const override { return shape_.classes; }

    void generate(const genhost::SampleRequest& request, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, shape_.channels, shape_.height, shape_.width}, "samples");
        const int64_t n = out.dim(0);
        NoGradGuard no_grad;
        check_labels(request.labels, n);
        Tensor y = one_hot(request.labels, n);
        write_images(pixel_->mean_image((*decoder_)(prior_draws(request, n), y)), out.data());
    }

    // z ~ N(0, I), [n, latent_dim]: row i from the host's seed for sample i when it sends
    // them (then the image does not depend on sample.batch_size), else all from `seed`.
    Tensor prior_draws(const genhost::SampleRequest& request, int64_t n) const {
        return normal_rows(n, shape_.latent_dim, request.seed, request.seeds ? request.seeds->data() : nullptr);
    }

    // ---- genhost.latent/1 ------------------------------------------------------------
    int64_t latent_dim() const override { return shape_.latent_dim; }
    std::optional<std::array<int64_t, 3>> latent_shape() const override {
        if (shape_.latent_channels == 0) return std::nullopt;
        return spatial_;
    }

    void encode(const genhost::TensorView& images, const std::optional<genhost::LabelView>& labels,
                const genhost::MutableTensorView& mean_out, const genhost::MutableTensorView& logvar_out) override {
        const int64_t n = check_images(images);
        mean_out.expect_shape({n, shape_.latent_dim}, "mean");
        logvar_out.expect_shape({n, shape_.latent_dim}, "logvar");
        check_labels(labels, n);
        NoGradGuard no_grad;
        auto [mu, logvar] = (*encoder_)(to_unit(images.data(), n), one_hot(labels, n));
        std::copy(mu.data(), mu.data() + mu.numel(), mean_out.data());
        std::copy(logvar.data(), logvar.data() + logvar.numel(), logvar_out.data());
    }

    void decode(const genhost::TensorView& latents, const std::optional<genhost::LabelView>& labels,
                const genhost::MutableTensorView& images) override {
        latents.expect_shape({-1, shape_.latent_dim}, "latents");
        const int64_t n = latents.dim(0);
        images.expect_shape({n, shape_.channels, shape_.height, shape_.width}, "images");
        check_labels(labels, n);
        NoGradGuard no_grad;
        Tensor z = Tensor::from_vector({n, shape_.latent_dim}, {latents.data(), latents.data() + latents.numel()});
        write_images(pixel_->mean_image((*decoder_)(z, one_hot(labels, n))), images.data());
    }

    // ---- genhost.likelihood/1 --------------------------------------------------------
    void log_likelihood(const genhost::LikelihoodRequest& request, const genhost::MutableTensorView& out) override {
        const int64_t n = check_images(request.images);
        out.expect_shape({n}, "log-likelihoods");
        check_labels(request.labels, n);
        NoGradGuard no_grad;
        Rng noise(request.seed);
        // A categorical decoder's output is 256 values a pixel: fewer images at a time.
        const int64_t chunk = std::max<int64_t>(16, kEvalChunk / shape_.outputs_per_pixel);
        for (int64_t start = 0; start < n; start += chunk) {
            const int64_t m = std::min(chunk, n - start);
            Tensor x = to_unit(request.images.data() + start * pixels_, m);
            Tensor y = one_hot(request.labels, m, start);
            auto [mu, logvar] = (*encoder_)(x, y);
            if (request.num_samples == 1) {
                Tensor eps = noise.normal({m, shape_.latent_dim});
                Tensor z = mu + exp(0.5f * logvar) * eps;
                Tensor elbo = pixel_->log_prob((*decoder_)(z, y), x) - vae::gaussian_kl_per_row(mu, logvar);
                std::copy(elbo.data(), elbo.data() + m, out.data() + start);
                continue;
            }
            iw_bound(x, y, mu, logvar, request.num_samples, noise, out.data() + start);
        }
    }

    // The discrete likelihoods bound the probability of the 8-bit image; the others bound
    // a density on [0, 1]^D (bernoulli: see pixel_likelihood.hpp).
    uint32_t likelihood_properties() const override { return discrete_ ? uint32_t{GENHOST_LIKELIHOOD_DISCRETE} : 0u; }

private:
    // The importance-weighted bound of m images:
    //   log w_k = log p(x|z_k) + log N(z_k; 0, I) - log N(z_k; mu, sigma^2),  z_k = mu + sigma eps_k
    // where log N(z; 0, I) - log N(z; mu, sigma^2) = sum_d -z_d^2/2 + eps_d^2/2 + logvar_d/2.
    void iw_bound(const Tensor& x, const Tensor& y, const Tensor& mu, const Tensor& logvar, uint32_t k, Rng& noise,
                  float* out) const {
        const int64_t m = x.size(0);
        std::vector<vae::LogMeanExp> bound(static_cast<size_t>(m));
        Tensor sigma = exp(0.5f * logvar);
        for (uint32_t i = 0; i < k; ++i) {
            Tensor eps = noise.normal({m, shape_.latent_dim});
            Tensor z = mu + sigma * eps;
            Tensor log_w = pixel_->log_prob((*decoder_)(z, y), x) + sum(square(eps) - square(z) + logvar, {1}) * 0.5f;
            for (int64_t j = 0; j < m; ++j) bound[static_cast<size_t>(j)].add(log_w.data()[j]);
        }
        for (int64_t j = 0; j < m; ++j) out[j] = static_cast<float>(bound[static_cast<size_t>(j)].value());
    }

    int64_t check_images(const genhost::TensorView& images) const {
        images.expect_shape({-1, shape_.channels, shape_.height, shape_.width}, "images");
        return images.dim(0);
    }

    float kl_weight(uint64_t step) const {
        if (warmup_ <= 0) return beta_;
        return beta_ * std::min(1.0f, static_cast<float>(step) / static_cast<float>(warmup_));
    }

    // n images from the data range to [0, 1] ([n, P]), where the likelihoods live.
    Tensor to_unit(const float* images, int64_t n) const {
        Tensor x = Tensor::from_vector({n, pixels_}, {images, images + n * pixels_});
        if (lo_ == 0.0f && hi_ == 1.0f) return x;
        return (x - lo_) * (1.0f / (hi_ - lo_));
    }

    // Mean images in [0, 1] back to the data range.
    void write_images(const Tensor& unit, float* out) const {
        const float* p = unit.data();
        for (int64_t i = 0; i < unit.numel(); ++i) out[i] = lo_ + (hi_ - lo_) * p[i];
    }

    // A conditional model needs labels [n]; an unconditional one ignores them.
    void check_labels(const std::optional<genhost::LabelView>& labels, int64_t n) const {
        if (shape_.classes == 0) return;
        if (!labels) throw std::invalid_argument("a conditional VAE needs a class label for each image");
        labels->expect_shape({n}, "labels");
    }

    // Labels [first, first + n) of a checked label tensor as one-hot rows; undefined when
    // the model is not conditional. Values are checked here, the shape by check_labels.
    Tensor one_hot(const std::optional<genhost::LabelView>& labels, int64_t n, int64_t first = 0) const {
        if (shape_.classes == 0) return Tensor();
        if (!labels || labels->dim(0) < first + n) throw std::logic_error("one_hot: call check_labels first");
        std::vector<float> v(static_cast<size_t>(n * shape_.classes), 0.0f);
        for (int64_t i = 0; i < n; ++i) {
            int64_t k = labels->data()[first + i];
            if (k < 0 || k >= shape_.classes)
                throw std::invalid_argument("labels[" + std::to_string(first + i) + "] is " + std::to_string(k) +
                                            ", outside the model's classes [0, " + std::to_string(shape_.classes) +
                                            ")");
            v[static_cast<size_t>(i * shape_.classes + k)] = 1.0f;
        }
        return Tensor::from_vector({n, shape_.classes}, std::move(v));
    }

    float beta_;
    int64_t warmup_;
    float lo_, hi_;
    vae::NetworkShape shape_;
    int64_t pixels_ = 0;
    bool discrete_ = false;
    std::array<int64_t, 3> spatial_{};  // [c, h, w] with latent_channels
    Parameters params_;
    std::unique_ptr<vae::Encoder> encoder_;
    std::unique_ptr<vae::Decoder> decoder_;
    std::unique_ptr<vae::PixelLikelihood> pixel_;
};

}  // namespace

GENHOST_PLUGINS(Vae);
