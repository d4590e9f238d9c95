// StyleGAN2 (Karras et al. 2020), small: a mapping network f: z -> w (mapping.hpp) and a
// synthesis network g that starts from a learned constant and takes one w per layer
// through modulated, demodulated convolutions, with per-pixel noise (synthesis.hpp). It
// is trained as a GAN (the game of plugins/gan/losses.hpp, non-saturating by default):
//
//   L_D = E[softplus(D(G(z)))] + E[softplus(-D(x))] + [step % k == 0] k gamma/2 E[||grad_x D(x)||^2]
//   L_G = E[softplus(-D(G(z)))]
//
// with the R1 penalty (r1.hpp) applied lazily every k = r1_every discriminator steps.
// Training mixes styles: with probability style_mixing a batch's ws switch from w1 = f(z1)
// to w2 = f(z2) at a random layer, so that neighbouring layers cannot rely on sharing one
// w and each layer's style acts on its own scale. The plugin tracks the average w,
//
//   w_avg <- w_avg + (1 - 0.995) (mean_batch(w) - w_avg)     (every generator step)
//
// a buffer saved in checkpoints, for the truncation trick: w' = w_avg + psi (w - w_avg)
// trades variety (psi -> 0) for typical, cleaner images.
#include <algorithm>
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "discriminator.hpp"
#include "frozen.hpp"
#include "losses.hpp"
#include "mapping.hpp"
#include "r1.hpp"
#include "synthesis.hpp"

using namespace genhost::engine;
using Rng = genhost::engine::Generator;  // inside the plugin, Generator is the capability

namespace {

std::array<int64_t, 3> three(const std::vector<int64_t>& v, const char* name) {
    if (v.size() != 3)
        throw std::invalid_argument(std::string(name) + ": expected 3 widths (one per resolution), got " +
                                    std::to_string(v.size()));
    return {v[0], v[1], v[2]};
}

class StyleGan : public genhost::Trainable, public genhost::Generator, public genhost::Latent, public genhost::StyleGenerator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.stylegan", "StyleGAN2", "1.0.0", "genhost",
                "StyleGAN2 (Karras et al. 2020) at 28x28: a mapping network z -> w, a synthesis network from a "
                "learned constant with modulated and demodulated 3x3 convolutions, one style per layer, per-pixel "
                "noise; style mixing regularisation, the tracked average w for truncation (truncation_psi), a "
                "non-saturating GAN loss and the R1 penalty applied lazily every r1_every steps. Phases: "
                "discriminator (on data), generator (without data).",
                {"gan", "stylegan", "trainable", "generator", "latent", "style"},
                genhost::ParamSchema()
                    .integer("latent_dim", 64, "size of z ~ N(0, I)", 1, 4096)
                    .integer("w_dim", 64, "size of w (the intermediate latent)", 1, 4096)
                    .integer("mapping_layers", 4, "fully connected layers of the mapping network (8 in the paper)",
                             1, 16)
                    .integers("generator_channels", {128, 64, 32}, "synthesis widths at 7x7, 14x14 and 28x28", 1)
                    .integers("discriminator_channels", {32, 64, 128}, "D's widths at 28x28, 14x14 and 7x7", 1)
                    .choice("loss", "non_saturating", {"minimax", "non_saturating", "wasserstein", "lsgan", "hinge"},
                            "the adversarial game (plugins/gan/losses.hpp); StyleGAN2 uses non_saturating")
                    .number("r1_gamma", 0.1, "gamma of the R1 penalty gamma/2 E[||grad D(x)||^2] on real images; 0 = off",
                            0.0, 1e6)
                    .integer("r1_every", 16,
                             "lazy R1: computed every k-th discriminator step and multiplied by k (1 = every step)", 1,
                             1000000)
                    .number("style_mixing", 0.9,
                            "probability that a training batch switches from w1 to w2 at a random layer", 0.0, 1.0)
                    .number("w_avg_decay", 0.995, "decay of the tracked average w (updated every generator step)",
                            0.0, 1.0)
                    .number("truncation_psi", 1.0,
                            "sampling: w' = w_avg + psi (w - w_avg); 1 = no truncation, 0 = the average image", 0.0,
                            2.0)};
    }

    explicit StyleGan(const genhost::Context& c)
        : loss_(gan::parse_loss(c.params.string("loss"))), r1_gamma_(static_cast<float>(c.params.number("r1_gamma"))),
          r1_every_(c.params.integer("r1_every")), mixing_(static_cast<float>(c.params.number("style_mixing"))),
          w_avg_decay_(static_cast<float>(c.params.number("w_avg_decay"))),
          psi_(static_cast<float>(c.params.number("truncation_psi"))), z_dim_(c.params.integer("latent_dim")),
          w_dim_(c.params.integer("w_dim")), lo_(c.data.range_min), hi_(c.data.range_max) {
        if (!c.data.known)
            throw std::invalid_argument("StyleGAN needs to know the image shape: give the pipeline a data: section, "
                                        "or a model.checkpoint written by a training run");
        if (c.data.height != 28 || c.data.width != 28)
            throw std::invalid_argument("this StyleGAN synthesises 28x28 images (7 -> 14 -> 28); the data is " +
                                        std::to_string(c.data.height) + "x" + std::to_string(c.data.width));
        if (!(hi_ > lo_)) throw std::invalid_argument("the data range is empty: range_max must exceed range_min");
        channels_ = c.data.channels;
        set_num_threads(static_cast<int>(c.host.num_threads()));

        Rng init(c.host.seed());
        params_.set_group("generator");
        mapping_ = std::make_unique<stylegan::Mapping>(params_, "generator.mapping", z_dim_, w_dim_,
                                                       c.params.integer("mapping_layers"), init);
        synthesis_ = std::make_unique<stylegan::Synthesis>(
            params_, "generator.synthesis", w_dim_, three(c.params.integers("generator_channels"), "generator_channels"),
            channels_, init);
        w_avg_ = params_.add_buffer("generator.w_avg", Tensor::zeros({w_dim_}), BufferReduce::mean);
        params_.set_group("discriminator");
        discriminator_ = std::make_unique<stylegan::Discriminator>(
            params_, "discriminator", channels_,
            three(c.params.integers("discriminator_channels"), "discriminator_channels"), init);
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }

    std::vector<genhost::Phase> phases() override {
        return {{"discriminator", "discriminator", {"loss", "r1", "d_real", "d_fake"}, true},
                {"generator", "generator", {"loss", "d_fake"}, false}};
    }

    void train_phase(uint32_t phase, const genhost::Batch& batch, float* losses) override {
        if (phase == 0) return discriminator_step(batch, losses);
        const int64_t n = batch.size;
        if (n <= 0) throw std::invalid_argument("the generator phase needs batch.size > 0 (images to make)");
        Rng noise(batch.seed);
        Tensor w;
        Tensor fake = fakes(n, noise, &w);
        track_w_avg(w);
        gan::Frozen frozen(params_, "discriminator");
        Tensor s_fake = (*discriminator_)(fake);
        Tensor loss = gan::generator_loss(loss_, s_fake);
        loss.backward();
        losses[0] = loss.item(), losses[1] = gan::mean_output(loss_, s_fake);
    }

    // ---- genhost.generator/1 ---------------------------------------------------------
    std::array<int64_t, 3> sample_shape() const override { return {channels_, 28, 28}; }

    void generate(const genhost::SampleRequest& request, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, channels_, 28, 28}, "samples");
        const int64_t n = out.dim(0);
        const uint64_t* seeds = request.seeds ? request.seeds->data() : nullptr;
        NoGradGuard no_grad;
        Tensor z = normal_rows(n, z_dim_, request.seed, seeds);
        write_images(render(broadcast(truncate(to_w(z), psi_)), n, request.seed, seeds), out.data());
    }

    // ---- genhost.latent/1 (decode only: z -> w -> image, truncated by truncation_psi) --
    int64_t latent_dim() const override { return z_dim_; }

    void decode(const genhost::TensorView& latents, const std::optional<genhost::LabelView>&,
                const genhost::MutableTensorView& images) override {
        latents.expect_shape({-1, z_dim_}, "latents");
        const int64_t n = latents.dim(0);
        images.expect_shape({n, channels_, 28, 28}, "images");
        NoGradGuard no_grad;
        Tensor z = Tensor::from_vector({n, z_dim_}, {latents.data(), latents.data() + latents.numel()});
        // One noise for every image (seed 0): the walk changes only with z.
        std::vector<uint64_t> same(static_cast<size_t>(n), 0);
        write_images(render(broadcast(truncate(to_w(z), psi_)), n, 0, same.data()), images.data());
    }

    // ---- genhost.style/1: the host mixes, truncates and walks the ws itself -----------
    int64_t z_dim() const override { return z_dim_; }
    int64_t w_dim() const override { return w_dim_; }
    int64_t num_ws() const override { return synthesis_->num_ws(); }

    void map(const genhost::TensorView& z, const genhost::MutableTensorView& w) override {
        z.expect_shape({-1, z_dim_}, "z");
        const int64_t n = z.dim(0);
        w.expect_shape({n, w_dim_}, "w");
        NoGradGuard no_grad;
        Tensor out = to_w(Tensor::from_vector({n, z_dim_}, {z.data(), z.data() + z.numel()}));
        std::copy(out.data(), out.data() + out.numel(), w.data());
    }

    void w_avg(const genhost::MutableTensorView& out) override {
        out.expect_shape({w_dim_}, "w_avg");
        std::copy(w_avg_.data(), w_avg_.data() + w_dim_, out.data());
    }

    void synthesize(const genhost::TensorView& ws, uint64_t noise_seed, const genhost::MutableTensorView& images) override {
        ws.expect_shape({-1, num_ws(), w_dim_}, "ws");
        const int64_t n = ws.dim(0);
        images.expect_shape({n, channels_, 28, 28}, "images");
        NoGradGuard no_grad;
        std::vector<uint64_t> same(static_cast<size_t>(n), noise_seed);
        Tensor x = Tensor::from_vector({n, num_ws(), w_dim_}, {ws.data(), ws.data() + ws.numel()});
        write_images(render(x, n, noise_seed, same.data()), images.data());
    }

private:
    // D's phase: real x and as many fakes; every r1_every-th step also k gamma/2 R1.
    void discriminator_step(const genhost::Batch& batch, float* losses) {
        batch.images.expect_shape({-1, channels_, 28, 28}, "images");
        const int64_t n = batch.images.dim(0);
        Tensor x = to_pm1(batch.images.data(), n);
        Rng noise(batch.seed);
        Tensor fake;
        {
            NoGradGuard no_grad;  // D's step does not train G: the fakes are constants
            fake = fakes(n, noise, nullptr);
        }
        Tensor s_real = (*discriminator_)(x), s_fake = (*discriminator_)(fake);
        Tensor loss = gan::discriminator_loss(loss_, s_real, s_fake);
        if (r1_gamma_ > 0 && batch.step % static_cast<uint64_t>(r1_every_) == 0) {
            Tensor r1 = stylegan::r1_penalty([&](const Tensor& t) { return (*discriminator_)(t); }, x);
            last_r1_ = r1.item();
            loss = loss + (0.5f * r1_gamma_ * static_cast<float>(r1_every_)) * r1;
        }
        loss.backward();
        losses[0] = loss.item(), losses[1] = last_r1_;
        losses[2] = gan::mean_output(loss_, s_real), losses[3] = gan::mean_output(loss_, s_fake);
    }

    // n training fakes with style mixing; their unmixed w1 into *w when asked.
    Tensor fakes(int64_t n, Rng& noise, Tensor* w) {
        Tensor w1 = to_w(noise.normal({n, z_dim_}));
        Tensor ws = broadcast(w1);
        const int64_t layers = synthesis_->num_ws();
        if (noise.uniform({1}).item() < mixing_) {
            const int64_t cut = 1 + std::min<int64_t>(layers - 2, static_cast<int64_t>(noise.uniform({1}).item() *
                                                                                        static_cast<float>(layers - 1)));
            Tensor w2 = broadcast(to_w(noise.normal({n, z_dim_})));
            ws = concat({slice(ws, 1, 0, cut), slice(w2, 1, cut, layers)}, 1);
        }
        if (w) *w = w1;
        return (*synthesis_)(ws, synthesis_->draw_noise(n, noise_seed(noise)));
    }

    static uint64_t noise_seed(Rng& noise) {
        return static_cast<uint64_t>(static_cast<double>(noise.uniform({1}).item()) * 4294967296.0);
    }

    void track_w_avg(const Tensor& w) {
        const Tensor m = mean(w.detach(), {0});
        float* a = w_avg_.data();
        for (int64_t j = 0; j < w_dim_; ++j) a[j] += (1.0f - w_avg_decay_) * (m.data()[j] - a[j]);
    }

    Tensor to_w(const Tensor& z) const { return (*mapping_)(z); }

    // w' = w_avg + psi (w - w_avg), [N, w_dim].
    Tensor truncate(const Tensor& w, float psi) const {
        if (psi == 1.0f) return w;
        Tensor avg = reshape(w_avg_.detach(), {1, w_dim_});
        return avg + psi * (w - avg);
    }

    // [N, w_dim] -> [N, L, w_dim]: the same w for every layer.
    Tensor broadcast(const Tensor& w) const {
        return expand(reshape(w, {w.size(0), 1, w_dim_}), {w.size(0), synthesis_->num_ws(), w_dim_});
    }

    Tensor render(const Tensor& ws, int64_t n, uint64_t seed, const uint64_t* seeds) const {
        return (*synthesis_)(ws, synthesis_->draw_noise(n, seed, seeds));
    }

    Tensor to_pm1(const float* images, int64_t n) const {
        std::vector<float> v(images, images + n * channels_ * 28 * 28);
        const float scale = 2.0f / (hi_ - lo_);
        for (float& p : v) p = (p - lo_) * scale - 1.0f;
        return Tensor::from_vector({n, channels_, 28, 28}, std::move(v));
    }

    // [-1, 1] back to the data range, clamped (the synthesis ends without tanh).
    void write_images(const Tensor& pm1, float* out) const {
        const float* p = pm1.data();
        for (int64_t i = 0; i < pm1.numel(); ++i)
            out[i] = lo_ + (hi_ - lo_) * 0.5f * (std::clamp(p[i], -1.0f, 1.0f) + 1.0f);
    }

    gan::Loss loss_;
    float r1_gamma_;
    int64_t r1_every_;
    float mixing_, w_avg_decay_, psi_;
    int64_t z_dim_, w_dim_, channels_ = 1;
    float lo_, hi_;
    float last_r1_ = 0;
    Parameters params_;
    std::unique_ptr<stylegan::Mapping> mapping_;
    std::unique_ptr<stylegan::Synthesis> synthesis_;
    std::unique_ptr<stylegan::Discriminator> discriminator_;
    Tensor w_avg_;
};

}  // namespace

GENHOST_PLUGINS(StyleGan);
