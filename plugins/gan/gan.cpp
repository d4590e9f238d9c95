// Generative adversarial networks (Goodfellow et al. 2014): a generator G maps noise
// z ~ N(0, I) to images, a discriminator (or critic) D scores images, and the two play
//
//   min_G max_D  E_x[log D(x)] + E_z[log(1 - D(G(z)))]
//
// in alternating phases: "discriminator" (or "critic") on a batch of real images and as
// many fakes, then "generator", which draws no data (GENHOST_PHASE_NO_DATA) and makes
// batch.size fakes. losses.hpp has the game in each of its forms; the presets below are
// the papers' settings, and every knob is a param of each:
//
//   gan      Goodfellow et al. 2014: MLPs, the non-saturating loss
//   dcgan    Radford et al. 2016: convolutional G and D with BatchNorm
//   wgan     Arjovsky et al. 2017: DCGAN networks as a Wasserstein critic, weights clipped
//            to [-c, c] after every critic update; train.phases {critic: 5, generator: 1}
//   wgan-gp  Gulrajani et al. 2017: the critic without BatchNorm, a gradient penalty
//            instead of clipping (penalty.hpp)
// Any of them becomes class-conditional with conditional: true (networks.hpp).
#include <algorithm>
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "frozen.hpp"
#include "losses.hpp"
#include "networks.hpp"
#include "penalty.hpp"

using namespace genhost::engine;
using Rng = genhost::engine::Generator;  // inside the plugin, Generator is the capability

namespace {

// The settings a preset's paper used; everything here is also a param.
struct Preset {
    const char* id;
    const char* name;
    const char* paper;
    const char* architecture;
    const char* loss;
    const char* discriminator_norm;
    double weight_clip;
    double gradient_penalty;
};

struct GanPreset {
    static constexpr Preset value{"org.genhost.gan", "GAN",
                                  "GAN (Goodfellow et al. 2014): an MLP generator and discriminator, non-saturating loss",
                                  "mlp", "non_saturating", "batch", 0.0, 0.0};
};
struct DcganPreset {
    static constexpr Preset value{"org.genhost.dcgan", "DCGAN",
                                  "DCGAN (Radford et al. 2016): PyTorch's examples/dcgan networks at 28x28 "
                                  "(transposed convs with BatchNorm and ReLU, tanh; strided convs with LeakyReLU 0.2), "
                                  "non-saturating loss; train it with Adam 2e-4, betas (0.5, 0.999)",
                                  "dcgan", "non_saturating", "batch", 0.0, 0.0};
};
struct WganPreset {
    static constexpr Preset value{"org.genhost.wgan", "WGAN",
                                  "WGAN (Arjovsky et al. 2017): the DCGAN networks as a Wasserstein critic whose "
                                  "weights are clipped to [-0.01, 0.01] after every critic update; train it with "
                                  "RMSprop 5e-5 and train.phases {critic: 5, generator: 1}",
                                  "dcgan", "wasserstein", "batch", 0.01, 0.0};
};
struct WganGpPreset {
    static constexpr Preset value{"org.genhost.wgan-gp", "WGAN-GP",
                                  "WGAN-GP (Gulrajani et al. 2017): a Wasserstein critic without BatchNorm and a "
                                  "gradient penalty (lambda 10) on interpolates; train it with Adam 1e-4, betas "
                                  "(0.5, 0.9) and train.phases {critic: 5, generator: 1}",
                                  "dcgan", "wasserstein", "none", 0.0, 10.0};
};

nlohmann::json widths(const std::vector<int64_t>& default_value, const std::string& doc) {
    return {{"type", "array"},
            {"default", default_value},
            {"description", doc},
            {"maxItems", 8},
            {"items", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4096}}}};
}

template <class P>
class Gan : public genhost::Trainable, public genhost::Generator, public genhost::Latent {
public:
    static genhost::PluginInfo info() {
        const Preset& p = P::value;
        return {GENHOST_PLUGIN_KIND_MODEL, p.id, p.name, "1.0.0", "genhost",
                std::string(p.paper) +
                    ". Losses minimax, non_saturating, wasserstein, lsgan and hinge on either architecture (mlp or "
                    "dcgan); optional weight clipping, gradient penalty and spectral norm on the discriminator; "
                    "class-conditional with conditional: true. Phases: the discriminator's (named critic for the "
                    "wasserstein loss) on data, the generator's without data. Samples from N(0, I) noise; the "
                    "latent capability decodes noise (it does not encode).",
                {"gan", "trainable", "generator", "conditional", "latent"},
                genhost::ParamSchema()
                    .choice("architecture", p.architecture, {"mlp", "dcgan"},
                            "mlp: fully connected G and D (generator_hidden, discriminator_hidden); dcgan: the DCGAN "
                            "conv nets at 28x28 (ngf, ndf)")
                    .choice("loss", p.loss, {"minimax", "non_saturating", "wasserstein", "lsgan", "hinge"},
                            "the adversarial game: minimax and non_saturating (Goodfellow 2014), wasserstein "
                            "(Arjovsky 2017: D is a critic, its phase is named critic), lsgan (Mao 2017), hinge "
                            "(Lim & Ye 2017)")
                    .integer("latent_dim", 100, "size of the noise z ~ N(0, I)", 1, 4096)
                    .custom("generator_hidden", widths({256, 512, 1024}, "mlp: hidden layer widths of G"))
                    .custom("discriminator_hidden", widths({512, 256}, "mlp: hidden layer widths of D"))
                    .integer("ngf", 64, "dcgan: G's width (its layers have 4 ngf and 2 ngf channels)", 1, 1024)
                    .integer("ndf", 64, "dcgan: D's width (its layers have ndf and 2 ndf channels)", 1, 1024)
                    .choice("discriminator_norm", p.discriminator_norm, {"batch", "layer", "none"},
                            "dcgan: the norm after D's second conv: batch (DCGAN), layer (LayerNorm over C, H, W) or "
                            "none; the gradient penalty needs layer or none")
                    .boolean("spectral_norm", false,
                             "divide each of D's weights by its largest singular value (Miyato et al. 2018), one "
                             "power iteration per discriminator step")
                    .number("weight_clip", p.weight_clip,
                            "clip every D parameter to [-c, c] after each D update (WGAN); 0 = off", 0.0, 1e3)
                    .number("gradient_penalty", p.gradient_penalty,
                            "lambda of the gradient penalty E[(||grad D(x^)|| - 1)^2] on interpolates (WGAN-GP); "
                            "0 = off",
                            0.0, 1e6)
                    .boolean("conditional", false,
                             "condition G and D on the class label (conditional GAN); sample.labels then picks classes")
                    .choice("conditioning", "concat", {"concat", "projection"},
                            "conditional only: how D sees the label: concat (Mirza & Osindero 2014: one-hot joined "
                            "to the input) or projection (Miyato & Koyama 2018: <V y, features> added to the score)")};
    }

    explicit Gan(const genhost::Context& c)
        : loss_(gan::parse_loss(c.params.string("loss"))), clip_(static_cast<float>(c.params.number("weight_clip"))),
          lambda_(static_cast<float>(c.params.number("gradient_penalty"))), lo_(c.data.range_min),
          hi_(c.data.range_max) {
        if (!c.data.known)
            throw std::invalid_argument("a GAN needs to know the image shape: give the pipeline a data: section, or a "
                                        "model.checkpoint written by a training run");
        if (!(hi_ > lo_))
            throw std::invalid_argument("the data range [" + std::to_string(lo_) + ", " + std::to_string(hi_) +
                                        "] is empty: range_max must be greater than range_min");
        gan::NetworkShape s;
        s.architecture = c.params.string("architecture");
        s.channels = c.data.channels, s.height = c.data.height, s.width = c.data.width;
        s.latent_dim = c.params.integer("latent_dim");
        s.classes = c.params.boolean("conditional") ? c.data.num_classes : 0;
        if (c.params.boolean("conditional") && s.classes == 0)
            throw std::invalid_argument("conditional: true needs labelled data (the dataset has no labels); set "
                                        "conditional: false or use a labelled dataset");
        s.conditioning = c.params.string("conditioning");
        s.generator_hidden = c.params.integers("generator_hidden");
        s.discriminator_hidden = c.params.integers("discriminator_hidden");
        s.ngf = c.params.integer("ngf"), s.ndf = c.params.integer("ndf");
        s.discriminator_norm = c.params.string("discriminator_norm");
        s.spectral_norm = c.params.boolean("spectral_norm");
        shape_ = s;
        d_name_ = loss_ == gan::Loss::wasserstein ? "critic" : "discriminator";
        set_num_threads(static_cast<int>(c.host.num_threads()));

        Rng init(c.host.seed());
        params_.set_group("generator");
        generator_ = gan::make_generator(params_, "generator", s, init);
        params_.set_group(d_name_);
        discriminator_ = gan::make_discriminator(params_, d_name_, s, init);
        if (lambda_ > 0 && discriminator_->has_batch_norm())
            throw std::invalid_argument("gradient_penalty needs a discriminator without BatchNorm (its second "
                                        "derivative is not defined per image): set discriminator_norm: layer or none");
        if (loss_ == gan::Loss::wasserstein && clip_ == 0 && lambda_ == 0 && !s.spectral_norm)
            c.host.info("warning: a Wasserstein critic with no weight_clip, gradient_penalty or spectral_norm is not "
                        "kept Lipschitz; its scores can grow without bound");
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }

    std::vector<genhost::Phase> phases() override {
        std::vector<std::string> d_losses = {"loss"};
        if (loss_ == gan::Loss::wasserstein) d_losses.push_back("wasserstein");
        if (lambda_ > 0) d_losses.push_back("gradient_penalty");
        d_losses.insert(d_losses.end(), {"d_real", "d_fake"});
        return {{d_name_, d_name_, d_losses, true}, {"generator", "generator", {"loss", "d_fake"}, false}};
    }

    void train_phase(uint32_t phase, const genhost::Batch& batch, float* losses) override {
        if (phase == 0) return discriminator_step(batch, losses);
        const int64_t n = batch.size;
        if (n <= 0) throw std::invalid_argument("the generator phase needs batch.size > 0 (images to make)");
        Rng noise(batch.seed);
        Tensor z = noise.normal({n, shape_.latent_dim});
        Tensor y = random_labels(noise, n);
        gan::Frozen frozen(params_, d_name_);  // G's step needs D's input gradients, not its weights
        discriminator_->begin(/*update_sn=*/false);
        Tensor s_fake = (*discriminator_)((*generator_)(z, y, true), y);
        Tensor loss = gan::generator_loss(loss_, s_fake);
        loss.backward();  // into G's grads only
        losses[0] = loss.item(), losses[1] = gan::mean_output(loss_, s_fake);
    }

    // WGAN's clipping: every D parameter back into [-c, c] after each of D's updates.
    void after_update(uint32_t phase) override {
        if (phase != 0 || clip_ <= 0) return;
        for (const NamedTensor& e : params_.entries()) {
            if (e.is_buffer || e.group != d_name_) continue;
            Tensor t = e.tensor;  // a handle on the same storage
            float* w = t.data();
            for (int64_t i = 0; i < t.numel(); ++i) w[i] = std::clamp(w[i], -clip_, clip_);
        }
    }

    // ---- genhost.generator/1 ---------------------------------------------------------
    std::array<int64_t, 3> sample_shape() const override { return {shape_.channels, shape_.height, shape_.width}; }
    int64_t num_classes() const override { return shape_.classes; }

    void generate(const genhost::SampleRequest& request, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, shape_.channels, shape_.height, shape_.width}, "samples");
        const int64_t n = out.dim(0);
        check_labels(request.labels, n);
        NoGradGuard no_grad;
        write_images((*generator_)(prior_draws(request, n), one_hot(request.labels, n), false), out.data());
    }

    // z ~ N(0, I), [n, latent_dim]: row i from the host's seed for sample i when it sends
    // them (then the image does not depend on sample.batch_size), else all from `seed`.
    Tensor prior_draws(const genhost::SampleRequest& request, int64_t n) const {
        return normal_rows(n, shape_.latent_dim, request.seed, request.seeds ? request.seeds->data() : nullptr);
    }

    // ---- genhost.latent/1 (decode only: a GAN has no encoder) -------------------------
    int64_t latent_dim() const override { return shape_.latent_dim; }

    void decode(const genhost::TensorView& latents, const std::optional<genhost::LabelView>& labels,
                const genhost::MutableTensorView& images) override {
        latents.expect_shape({-1, shape_.latent_dim}, "latents");
        const int64_t n = latents.dim(0);
        images.expect_shape({n, shape_.channels, shape_.height, shape_.width}, "images");
        check_labels(labels, n);
        NoGradGuard no_grad;
        Tensor z = Tensor::from_vector({n, shape_.latent_dim}, {latents.data(), latents.data() + latents.numel()});
        write_images((*generator_)(z, one_hot(labels, n), false), images.data());
    }

private:
    // D's phase: real images x and as many fakes G(z) (the real labels, when conditional).
    void discriminator_step(const genhost::Batch& batch, float* losses) {
        batch.images.expect_shape({-1, shape_.channels, shape_.height, shape_.width}, "images");
        const int64_t n = batch.images.dim(0);
        check_labels(batch.labels, n);
        Tensor x = to_pm1(batch.images.data(), n);
        Tensor y = one_hot(batch.labels, n);
        Rng noise(batch.seed);
        Tensor z = noise.normal({n, shape_.latent_dim});
        Tensor fake;
        {
            NoGradGuard no_grad;  // D's step does not train G: the fakes are constants
            fake = (*generator_)(z, y, true);
        }
        discriminator_->begin(/*update_sn=*/true);
        Tensor s_real = (*discriminator_)(x, y), s_fake = (*discriminator_)(fake, y);
        Tensor loss = gan::discriminator_loss(loss_, s_real, s_fake);
        float penalty = 0;
        if (lambda_ > 0) {
            Tensor gp = gan::gradient_penalty([&](const Tensor& t) { return (*discriminator_)(t, y); }, x, fake,
                                              noise.uniform({n}));
            penalty = gp.item();
            loss = loss + lambda_ * gp;
        }
        loss.backward();
        size_t i = 0;
        losses[i++] = loss.item();
        const float d_real = gan::mean_output(loss_, s_real), d_fake = gan::mean_output(loss_, s_fake);
        if (loss_ == gan::Loss::wasserstein) losses[i++] = d_real - d_fake;  // E[D(x)] - E[D(G(z))]
        if (lambda_ > 0) losses[i++] = penalty;
        losses[i++] = d_real, losses[i++] = d_fake;
    }

    // Uniform class labels for the generator's own fakes, one-hot; undefined if unconditional.
    Tensor random_labels(Rng& noise, int64_t n) const {
        if (shape_.classes == 0) return Tensor();
        Tensor u = noise.uniform({n});
        Tensor y = Tensor::zeros({n, shape_.classes});
        for (int64_t i = 0; i < n; ++i) {
            const int64_t k = std::min<int64_t>(shape_.classes - 1, static_cast<int64_t>(u.data()[i] * shape_.classes));
            y.data()[i * shape_.classes + k] = 1.0f;
        }
        return y;
    }

    // n images from the data range to [-1, 1], [n, C, H, W].
    Tensor to_pm1(const float* images, int64_t n) const {
        const int64_t size = n * shape_.channels * shape_.height * shape_.width;
        std::vector<float> v(images, images + size);
        const float scale = 2.0f / (hi_ - lo_);
        for (float& p : v) p = (p - lo_) * scale - 1.0f;
        return Tensor::from_vector({n, shape_.channels, shape_.height, shape_.width}, std::move(v));
    }

    // G's images in [-1, 1] back to the data range.
    void write_images(const Tensor& pm1, float* out) const {
        const float* p = pm1.data();
        for (int64_t i = 0; i < pm1.numel(); ++i) out[i] = lo_ + (hi_ - lo_) * 0.5f * (p[i] + 1.0f);
    }

    void check_labels(const std::optional<genhost::LabelView>& labels, int64_t n) const {
        if (shape_.classes == 0) return;
        if (!labels) throw std::invalid_argument("a conditional GAN needs a class label for each image");
        labels->expect_shape({n}, "labels");
    }

    Tensor one_hot(const std::optional<genhost::LabelView>& labels, int64_t n) const {
        if (shape_.classes == 0) return Tensor();
        std::vector<float> v(static_cast<size_t>(n * shape_.classes), 0.0f);
        for (int64_t i = 0; i < n; ++i) {
            const int64_t k = labels->data()[i];
            if (k < 0 || k >= shape_.classes)
                throw std::invalid_argument("labels[" + std::to_string(i) + "] is " + std::to_string(k) +
                                            ", outside the model's classes [0, " + std::to_string(shape_.classes) +
                                            ")");
            v[static_cast<size_t>(i * shape_.classes + k)] = 1.0f;
        }
        return Tensor::from_vector({n, shape_.classes}, std::move(v));
    }

    gan::Loss loss_;
    float clip_, lambda_;
    float lo_, hi_;
    gan::NetworkShape shape_;
    std::string d_name_;
    Parameters params_;
    std::unique_ptr<gan::GeneratorNet> generator_;
    std::unique_ptr<gan::DiscriminatorNet> discriminator_;
};

}  // namespace

GENHOST_PLUGINS(Gan<GanPreset>, Gan<DcganPreset>, Gan<WganPreset>, Gan<WganGpPreset>);
