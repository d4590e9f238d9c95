// CycleGAN (Zhu et al. 2017): unpaired image-to-image translation between domains a and b.
// Two generators, G: a -> b and F: b -> a, and two discriminators, D_b (tells real b
// from G's output) and D_a (real a from F's), trained with the least-squares GAN loss
// (Mao et al. 2017) and two reconstruction terms:
//
//   L_gan(G, D_b)  = E_b[(D_b(y) - 1)^2] + E_a[D_b(G(x))^2]        (D_b minimises 1/2 of it;
//                    G minimises E_a[(D_b(G(x)) - 1)^2])           likewise F and D_a
//   L_cyc(G, F)    = E_a[|F(G(x)) - x|_1] + E_b[|G(F(y)) - y|_1]   (forward and backward cycles)
//   L_id(G, F)     = E_b[|G(y) - y|_1] + E_a[|F(x) - x|_1]         (section 5.2: keeps colour
//                                                                   and tone; here, the pose)
//   L(G, F)        = L_gan(G) + L_gan(F) + lambda_cyc L_cyc + lambda_id L_id,
//                    lambda_cyc = 10, lambda_id = 0.5 lambda_cyc
//
// (|.|_1 averaged over pixels, as torch's L1Loss.) Two phases, each on a batch of both
// domains (genhost_batch.images and images_b, ABI 1.4): "generators" (G and F together,
// the discriminators frozen) and "discriminators" (D_a and D_b on real images and on
// fakes from a history of 50 generated images per direction: image_pool.hpp). The LSGAN
// terms are plugins/gan's; the networks are in networks.hpp. The translator capability
// gives G and F to the host's translate stage.
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "../gan/frozen.hpp"
#include "../gan/losses.hpp"
#include "image_pool.hpp"
#include "networks.hpp"

using namespace genhost::engine;

namespace {

// The CycleGAN code's generator term is E[(D(G(x)) - 1)^2], twice gan's lsgan 1/2 E[...]:
// with the paper's lambdas the adversarial and cycle terms then weigh as in the paper.
Tensor adversarial(const Tensor& scores) { return 2.0f * gan::generator_loss(gan::Loss::lsgan, scores); }

class CycleGan : public genhost::Trainable, public genhost::Translator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.cyclegan", "CycleGAN", "1.0.0", "genhost",
                "CycleGAN (Zhu et al. 2017): unpaired translation between two data domains (data.domains a and b) "
                "with two ResNet generators, two PatchGAN discriminators, the least-squares GAN loss, cycle-consistency "
                "and identity losses, and a history pool of generated images. Phases: generators and discriminators, "
                "each on a batch of both domains. The translator capability maps a to b and b to a (the translate "
                "stage). Train it with Adam 2e-4, betas (0.5, 0.999) and lr_schedule linear_decay.",
                {"cyclegan", "trainable", "translator"},
                genhost::ParamSchema()
                    .integer("ngf", 16, "generator width: its convs have ngf, 2 ngf and 4 ngf channels", 1, 1024)
                    .integer("residual_blocks", 3, "residual blocks of each generator at 1/4 resolution (the paper: 6 "
                             "at 128x128, 9 at 256x256)", 0, 64)
                    .integer("ndf", 32, "discriminator width: its convs have ndf, 2 ndf, ... (at most 8 ndf) channels",
                             1, 1024)
                    .integer("discriminator_layers", 2,
                             "stride-2 convs of each PatchGAN discriminator: 2 judges 34x34-pixel patches, 1 16x16 "
                             "ones (the paper's 70x70 PatchGAN at 256x256 has 3)",
                             1, 6)
                    .number("lambda_cycle", 10.0, "weight of the cycle-consistency loss |F(G(x)) - x| + |G(F(y)) - y|",
                            0.0, 1e4)
                    .number("lambda_identity", 0.5,
                            "weight of the identity loss |G(y) - y| + |F(x) - x|, as a fraction of lambda_cycle (the "
                            "authors' code: 0.5, that is 5); 0 = off",
                            0.0, 1e3)
                    .integer("pool_size", 50, "generated images kept per direction for the discriminators (the "
                             "history pool); 0 = the latest fakes only",
                             0, 100000)};
    }

    explicit CycleGan(const genhost::Context& c)
        : lambda_cycle_(static_cast<float>(c.params.number("lambda_cycle"))),
          lambda_identity_(static_cast<float>(c.params.number("lambda_identity") * c.params.number("lambda_cycle"))),
          pool_a_(c.params.integer("pool_size")), pool_b_(c.params.integer("pool_size")), lo_(c.data.range_min),
          hi_(c.data.range_max) {
        if (!c.data.known || c.data.domains != 2)
            throw std::invalid_argument(
                "CycleGAN translates between two data domains: give the pipeline data: {domains: {a: {dataset: "
                "fashion-mnist, classes: [7]}, b: {dataset: fashion-mnist, classes: [9]}}} (docs/data.md), or a "
                "model.checkpoint written by such a run");
        if (c.data.height % 4 != 0 || c.data.width % 4 != 0 || c.data.height < 8 || c.data.width < 8)
            throw std::invalid_argument("the generators halve the image twice and double it back: height and width "
                                        "must be multiples of 4 and at least 8, the data is " +
                                        std::to_string(c.data.height) + "x" + std::to_string(c.data.width));
        if (!(hi_ > lo_)) throw std::invalid_argument("the data range is empty: range_max must exceed range_min");
        shape_ = {c.data.channels, c.data.height, c.data.width};
        cyclegan::NetworkSizes s;
        s.channels = c.data.channels;
        s.ngf = c.params.integer("ngf"), s.blocks = c.params.integer("residual_blocks");
        s.ndf = c.params.integer("ndf"), s.d_layers = c.params.integer("discriminator_layers");
        set_num_threads(static_cast<int>(c.host.num_threads()));

        Generator init(c.host.seed());
        params_.set_group("generators");
        g_ab_ = std::make_unique<cyclegan::ResnetGenerator>(params_, "G_a_to_b", s, init);
        g_ba_ = std::make_unique<cyclegan::ResnetGenerator>(params_, "G_b_to_a", s, init);
        params_.set_group("discriminators");
        d_a_ = std::make_unique<cyclegan::PatchDiscriminator>(params_, "D_a", s, init);
        d_b_ = std::make_unique<cyclegan::PatchDiscriminator>(params_, "D_b", s, init);
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }

    std::vector<genhost::Phase> phases() override {
        return {{"generators", "generators", {"loss", "gan_a_to_b", "gan_b_to_a", "cycle", "identity"}, true},
                {"discriminators", "discriminators",
                 {"loss", "d_a", "d_b", "d_a_real", "d_a_fake", "d_b_real", "d_b_fake"}, true}};
    }

    void train_phase(uint32_t phase, const genhost::Batch& batch, float* losses) override {
        if (!batch.images_b)
            throw std::invalid_argument("CycleGAN needs a batch of each domain: the host sent no images_b (data.domains "
                                        "missing, or a host older than ABI 1.4)");
        const Tensor a = to_pm1(batch.images), b = to_pm1(*batch.images_b);
        if (phase == 0) return generators_step(a, b, losses);
        discriminators_step(a, b, batch.seed, losses);
    }

    // ---- genhost.translator/1 --------------------------------------------------------
    void translate(genhost::TranslateDirection direction, const genhost::TensorView& images,
                   const genhost::MutableTensorView& out) override {
        NoGradGuard no_grad;
        const cyclegan::ResnetGenerator& g = direction == genhost::TranslateDirection::a_to_b ? *g_ab_ : *g_ba_;
        from_pm1(g(to_pm1(images)), out.data());
    }

private:
    // G and F together: fool the other domain's discriminator, survive the round trip,
    // leave the target domain's images alone.
    void generators_step(const Tensor& a, const Tensor& b, float* losses) {
        gan::Frozen frozen(params_, "discriminators");  // their input gradients, not their weights
        const Tensor fake_b = (*g_ab_)(a), fake_a = (*g_ba_)(b);
        const Tensor gan_ab = adversarial((*d_b_)(fake_b)), gan_ba = adversarial((*d_a_)(fake_a));
        const Tensor cycle = l1_loss((*g_ba_)(fake_b), a) + l1_loss((*g_ab_)(fake_a), b);
        Tensor loss = gan_ab + gan_ba + lambda_cycle_ * cycle;
        float identity = 0;
        if (lambda_identity_ > 0) {
            const Tensor id = l1_loss((*g_ab_)(b), b) + l1_loss((*g_ba_)(a), a);
            identity = id.item();
            loss = loss + lambda_identity_ * id;
        }
        loss.backward();
        losses[0] = loss.item(), losses[1] = gan_ab.item(), losses[2] = gan_ba.item();
        losses[3] = cycle.item(), losses[4] = identity;
    }

    // D_a and D_b on real images and on fakes from the history pools.
    void discriminators_step(const Tensor& a, const Tensor& b, uint64_t seed, float* losses) {
        Generator rng(seed);
        Tensor fake_a, fake_b;
        {
            NoGradGuard no_grad;  // the discriminators' step does not train the generators
            fake_b = pool_b_.query((*g_ab_)(a), rng);
            fake_a = pool_a_.query((*g_ba_)(b), rng);
        }
        const Tensor real_a_scores = (*d_a_)(a), fake_a_scores = (*d_a_)(fake_a);
        const Tensor real_b_scores = (*d_b_)(b), fake_b_scores = (*d_b_)(fake_b);
        const Tensor d_a = gan::discriminator_loss(gan::Loss::lsgan, real_a_scores, fake_a_scores);
        const Tensor d_b = gan::discriminator_loss(gan::Loss::lsgan, real_b_scores, fake_b_scores);
        const Tensor loss = d_a + d_b;
        loss.backward();
        losses[0] = loss.item(), losses[1] = d_a.item(), losses[2] = d_b.item();
        losses[3] = gan::mean_output(gan::Loss::lsgan, real_a_scores);
        losses[4] = gan::mean_output(gan::Loss::lsgan, fake_a_scores);
        losses[5] = gan::mean_output(gan::Loss::lsgan, real_b_scores);
        losses[6] = gan::mean_output(gan::Loss::lsgan, fake_b_scores);
    }

    // Images in the data range to [-1, 1], the generators' tanh range, and back.
    Tensor to_pm1(const genhost::TensorView& images) const {
        images.expect_shape({-1, shape_[0], shape_[1], shape_[2]}, "images");
        const Tensor x = Tensor::from_vector({images.dim(0), shape_[0], shape_[1], shape_[2]},
                                             {images.data(), images.data() + images.numel()});
        return (x - lo_) * (2.0f / (hi_ - lo_)) - 1.0f;
    }
    void from_pm1(const Tensor& y, float* out) const {
        const Tensor x = (y + 1.0f) * (0.5f * (hi_ - lo_)) + lo_;
        std::copy(x.data(), x.data() + x.numel(), out);
    }

    float lambda_cycle_, lambda_identity_;
    cyclegan::ImagePool pool_a_, pool_b_;
    float lo_, hi_;
    std::array<int64_t, 3> shape_{};
    Parameters params_;
    std::unique_ptr<cyclegan::ResnetGenerator> g_ab_, g_ba_;
    std::unique_ptr<cyclegan::PatchDiscriminator> d_a_, d_b_;
};

}  // namespace

GENHOST_PLUGINS(CycleGan);
