// Variational autoencoder (Kingma & Welling, 2014), with beta-VAE (Higgins et al., 2017)
// and conditional VAE (Sohn et al., 2015) as params.
//
//   encoder q(z|x[,y]) = N(mu(x), diag(exp(logvar(x))))      decoder p(x|z[,y])
//   ELBO = E_q[log p(x|z)] - beta * KL(q(z|x) || N(0, I))
//   loss = -ELBO = recon + beta * kl, both per image, averaged over the batch.
// The reparameterisation trick z = mu + exp(logvar / 2) * eps, eps ~ N(0, I), makes the
// expectation differentiable in the encoder's weights.
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

using namespace genhost::engine;
// The engine's random number generator; inside a class deriving from the generator
// capability (genhost::Generator) that name means the capability.
using Rng = genhost::engine::Generator;

namespace {

class Vae : public genhost::Trainable, public genhost::Generator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.vae", "Variational autoencoder", "1.0.0", "genhost",
                "A VAE with an MLP encoder and decoder (Kingma & Welling 2014; PyTorch's examples/vae is the "
                "784-400-20 default). beta > 1 gives a beta-VAE; conditional: true a conditional VAE whose encoder "
                "and decoder both see the class label.",
                {"vae", "trainable", "generator", "conditional"},
                genhost::ParamSchema()
                    .choice("architecture", "mlp", {"mlp"}, "encoder and decoder: fully connected layers")
                    .integers("hidden", {400}, "hidden layer sizes of the encoder (the decoder mirrors them)", 1)
                    .integer("latent_dim", 20, "size of the latent code z", 1, 4096)
                    .choice("likelihood", "bernoulli", {"bernoulli", "gaussian"},
                            "p(x|z): bernoulli (binary cross-entropy on logits, data in [0,1]) or gaussian with "
                            "fixed standard deviation gaussian_sigma")
                    .number("gaussian_sigma", 0.1, "standard deviation of the gaussian likelihood", 1e-4)
                    .number("beta", 1.0, "weight of the KL term; 1 is the plain VAE, > 1 a beta-VAE", 0.0)
                    .integer("kl_warmup_steps", 0, "ramp beta linearly from 0 over this many steps; 0 = off", 0)
                    .boolean("conditional", false, "condition encoder and decoder on the class label (CVAE)")};
    }

    explicit Vae(const genhost::Context& c)
        : latent_(c.params.integer("latent_dim")), beta_(static_cast<float>(c.params.number("beta"))),
          warmup_(c.params.integer("kl_warmup_steps")), gaussian_(c.params.string("likelihood") == "gaussian"),
          sigma_(static_cast<float>(c.params.number("gaussian_sigma"))), lo_(c.data.range_min), hi_(c.data.range_max) {
        if (!c.data.known)
            throw std::invalid_argument("the VAE needs to know the image shape: give the pipeline a data: section, "
                                        "or a model.checkpoint written by a training run");
        shape_ = {c.data.channels, c.data.height, c.data.width};
        pixels_ = shape_[0] * shape_[1] * shape_[2];
        classes_ = c.params.boolean("conditional") ? c.data.num_classes : 0;
        if (c.params.boolean("conditional") && classes_ == 0)
            throw std::invalid_argument("conditional: true needs labelled data (the dataset has no labels)");
        set_num_threads(static_cast<int>(c.host.num_threads()));

        Rng init(c.host.seed());
        int64_t in = pixels_ + classes_;
        for (int64_t h : c.params.integers("hidden")) {
            encoder_.emplace_back(params_, "encoder.fc" + std::to_string(encoder_.size() + 1), in, h, init);
            in = h;
        }
        mu_ = std::make_unique<Linear>(params_, "encoder.mu", in, latent_, init);
        logvar_ = std::make_unique<Linear>(params_, "encoder.logvar", in, latent_, init);
        in = latent_ + classes_;
        auto hidden = c.params.integers("hidden");
        for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) {
            decoder_.emplace_back(params_, "decoder.fc" + std::to_string(decoder_.size() + 1), in, *it, init);
            in = *it;
        }
        out_ = std::make_unique<Linear>(params_, "decoder.out", in, pixels_, init);
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }
    std::vector<genhost::Phase> phases() override { return {{"train", "model", {"loss", "recon", "kl"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        batch.images.expect_shape({-1, shape_[0], shape_[1], shape_[2]}, "images");
        const int64_t n = batch.images.dim(0);
        Tensor x = to_unit(Tensor::from_vector({n, pixels_}, {batch.images.data(), batch.images.data() + n * pixels_}));
        Tensor y = one_hot(batch.labels, n);

        auto [mu, logvar] = encode(x, y);
        Rng noise(batch.seed);
        Tensor z = mu + exp(0.5f * logvar) * noise.normal({n, latent_});
        Tensor recon = reconstruction_loss(decode(z, y), x);
        Tensor kl = gaussian_kl(mu, logvar);
        Tensor loss = recon + kl_weight(batch.step) * kl;
        loss.backward();  // adds into the grads the host zeroed
        losses[0] = loss.item(), losses[1] = recon.item(), losses[2] = kl.item();
    }

    // ---- genhost.generator/1 ---------------------------------------------------------
    std::array<int64_t, 3> sample_shape() const override { return {shape_[0], shape_[1], shape_[2]}; }
    int64_t num_classes() const override { return classes_; }

    void generate(const genhost::SampleRequest& request, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, shape_[0], shape_[1], shape_[2]}, "samples");
        const int64_t n = out.dim(0);
        NoGradGuard no_grad;
        Rng noise(request.seed);
        Tensor mean = mean_image(decode(noise.normal({n, latent_}), one_hot(request.labels, n)));
        const float* p = mean.data();
        for (int64_t i = 0; i < n * pixels_; ++i) out.data()[i] = lo_ + (hi_ - lo_) * p[i];
    }

private:
    std::pair<Tensor, Tensor> encode(const Tensor& x, const Tensor& y) const {
        Tensor h = y.defined() ? concat({x, y}, 1) : x;
        for (const Linear& fc : encoder_) h = relu(fc(h));
        return {(*mu_)(h), (*logvar_)(h)};
    }

    Tensor decode(const Tensor& z, const Tensor& y) const {  // logits (bernoulli) or mean (gaussian)
        Tensor h = y.defined() ? concat({z, y}, 1) : z;
        for (const Linear& fc : decoder_) h = relu(fc(h));
        return (*out_)(h);
    }

    // -log p(x|z), summed over pixels, averaged over the batch.
    Tensor reconstruction_loss(const Tensor& decoded, const Tensor& x) const {
        const float d = static_cast<float>(pixels_);
        if (!gaussian_) return bce_with_logits(decoded, x) * d;
        const float log_norm = 0.5f * d * std::log(2.0f * static_cast<float>(M_PI) * sigma_ * sigma_);
        return mse_loss(sigmoid(decoded), x) * (0.5f * d / (sigma_ * sigma_)) + log_norm;
    }

    Tensor mean_image(const Tensor& decoded) const { return sigmoid(decoded); }

    float kl_weight(uint64_t step) const {
        if (warmup_ <= 0) return beta_;
        return beta_ * std::min(1.0f, static_cast<float>(step) / static_cast<float>(warmup_));
    }

    // Pixels from the data range to [0, 1], where the likelihoods live.
    Tensor to_unit(Tensor x) const {
        if (lo_ == 0.0f && hi_ == 1.0f) return x;
        return (x - lo_) * (1.0f / (hi_ - lo_));
    }

    Tensor one_hot(const std::optional<genhost::LabelView>& labels, int64_t n) const {
        if (classes_ == 0) return Tensor();
        if (!labels) throw std::invalid_argument("a conditional VAE needs labels");
        labels->expect_shape({n}, "labels");
        std::vector<float> v(static_cast<size_t>(n * classes_), 0.0f);
        for (int64_t i = 0; i < n; ++i) {
            int64_t k = labels->data()[i];
            if (k < 0 || k >= classes_)
                throw std::invalid_argument("label " + std::to_string(k) + " is outside [0, " + std::to_string(classes_) + ")");
            v[static_cast<size_t>(i * classes_ + k)] = 1.0f;
        }
        return Tensor::from_vector({n, classes_}, std::move(v));
    }

    int64_t latent_;
    float beta_;
    int64_t warmup_;
    bool gaussian_;
    float sigma_, lo_, hi_;
    std::vector<int64_t> shape_;
    int64_t pixels_ = 0, classes_ = 0;
    Parameters params_;
    std::vector<Linear> encoder_, decoder_;
    std::unique_ptr<Linear> mu_, logvar_, out_;
};

}  // namespace

GENHOST_PLUGINS(Vae);
