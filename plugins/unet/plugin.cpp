// The U-Net denoiser (Ho et al. 2020) as a genhost plugin: trains itself on the noise
// schedule the host hands it, and predicts for the host's sampling loop.
//
// Training, for x0 from the data and t ~ U{0, ..., T-1}, eps ~ N(0, I), a_t = alphas_cumprod[t]:
//   x_t  = sqrt(a_t) x0 + sqrt(1 - a_t) eps
//   loss = E[ w(t) || f(x_t, t, y) - target ||^2 ],  target = eps (epsilon),
//          sqrt(a_t) eps - sqrt(1 - a_t) x0 (v_prediction, Salimans & Ho 2022) or x0 (sample)
// w(t) = 1, or with min-SNR-gamma weighting (Hang et al. 2023), SNR = a_t / (1 - a_t):
//   epsilon: min(SNR, gamma) / SNR    v_prediction: min(SNR, gamma) / (SNR + 1)    sample: min(SNR, gamma)
// Classifier-free guidance (Ho & Salimans 2022): with probability cond_drop_prob a label is
// replaced by the null class, so one network learns both f(x, t, y) and f(x, t, null).
#include <algorithm>
#include <cmath>

#include <genhost/cpp/engine_bridge.hpp>
#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/engine.hpp>

#include "unet.hpp"

using namespace genhost::engine;

namespace {

genhost::unet::UNetConfig config_from(const genhost::Context& c) {
    if (!c.data.known)
        throw std::invalid_argument("the U-Net needs to know the image shape: give the pipeline a data: section, "
                                    "or a model.checkpoint written by a training run");
    if (c.data.height != c.data.width)
        throw std::invalid_argument("the U-Net needs square images, the data has " + std::to_string(c.data.height) +
                                    "x" + std::to_string(c.data.width));
    genhost::unet::UNetConfig u;
    u.in_channels = c.data.channels;
    u.image_size = c.data.height;
    u.base_channels = c.params.integer("base_channels");
    u.channel_mult = c.params.integers("channel_mult");
    u.layers_per_block = c.params.integer("layers_per_block");
    u.attention_resolutions = c.params.integers("attention_resolutions");
    u.attention_head_dim = c.params.integer("attention_head_dim");
    u.norm_num_groups = c.params.integer("norm_num_groups");
    u.dropout = static_cast<float>(c.params.number("dropout"));
    u.num_class_embeds = c.params.integer("num_class_embeds");
    if (u.num_class_embeds > 0 && c.data.num_classes > u.num_class_embeds)
        throw std::invalid_argument("num_class_embeds is " + std::to_string(u.num_class_embeds) + " but the data has " +
                                    std::to_string(c.data.num_classes) + " classes; set num_class_embeds: " +
                                    std::to_string(c.data.num_classes));
    return u;
}

class UNetDenoiser : public genhost::Trainable, public genhost::Denoiser {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.unet", "U-Net denoiser", "1.0.0", "genhost",
                "A diffusion U-Net (Ho et al. 2020), laid out as diffusers' UNet2DModel: sinusoidal timestep "
                "embedding, residual blocks, self-attention at chosen resolutions, skip connections. Predicts "
                "epsilon, v or x0; num_class_embeds > 0 makes it class-conditional with classifier-free guidance "
                "training (cond_drop_prob). Pair it with a scheduler plugin; data range [-1, 1].",
                {"diffusion", "trainable", "denoiser", "conditional"},
                genhost::ParamSchema()
                    .integer("base_channels", 32, "width of the first level (diffusers: block_out_channels[0])", 4, 1024)
                    .integers("channel_mult", {1, 2, 2}, "width of each level as a multiple of base_channels; one "
                              "level per entry, each but the last halves the resolution", 1)
                    .integer("layers_per_block", 1, "residual blocks per level on the way down (up: one more)", 1, 8)
                    .integers("attention_resolutions", {7}, "feature-map heights (pixels) at which blocks add "
                              "self-attention, e.g. [7] or [14, 7] for 28x28 images; [] = only the middle block", 1)
                    .integer("attention_head_dim", 32, "channels per attention head", 1, 1024)
                    .integer("norm_num_groups", 8, "GroupNorm groups; must divide every level's width", 1, 1024)
                    .number("dropout", 0.0, "dropout in residual blocks while training", 0.0, 0.9)
                    .choice("prediction_type", "epsilon", {"epsilon", "v_prediction", "sample"},
                            "what the network predicts: the noise, v = sqrt(a) eps - sqrt(1-a) x0, or x0")
                    .integer("num_class_embeds", 0, "number of classes to condition on (a label embedding added to "
                             "the time embedding); 0 = unconditional", 0, 100000)
                    .number("cond_drop_prob", 0.1, "probability of training a labelled image as unlabelled (null "
                            "class), for classifier-free guidance; 0 = off", 0.0, 1.0)
                    .number("snr_gamma", 0.0, "min-SNR-gamma loss weighting (Hang et al. 2023; 5 is typical); "
                            "0 = off (plain MSE)", 0.0)};
    }

    explicit UNetDenoiser(const genhost::Context& c)
        : prediction_(c.params.string("prediction_type")), cond_drop_(static_cast<float>(c.params.number("cond_drop_prob"))),
          snr_gamma_(static_cast<float>(c.params.number("snr_gamma"))) {
        genhost::unet::UNetConfig u = config_from(c);
        if (c.data.range_min != -1.0f || c.data.range_max != 1.0f)
            c.host.warn("the U-Net expects data in [-1, 1] (the schedulers' noise has unit variance); the data "
                        "range is [" + std::to_string(c.data.range_min) + ", " + std::to_string(c.data.range_max) +
                        "]: set data.range: [-1, 1]");
        set_num_threads(static_cast<int>(c.host.num_threads()));
        Rng init(c.host.seed());
        net_ = std::make_unique<genhost::unet::UNet>(params_, u, init);
    }

    // ---- genhost.trainable/1 ---------------------------------------------------------
    std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }
    std::vector<genhost::Phase> phases() override { return {{"train", "model", {"loss"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        const auto& u = net_->config();
        batch.images.expect_shape({-1, u.in_channels, u.image_size, u.image_size}, "images");
        if (alphas_cumprod_.empty())
            throw std::invalid_argument("train_phase before set_noise_schedule: the pipeline needs a scheduler: "
                                        "section so the host can hand the U-Net its noise schedule");
        const int64_t n = batch.images.dim(0), pixels = u.in_channels * u.image_size * u.image_size;
        if (n == 0) throw std::invalid_argument("train_phase: the batch is empty");
        Tensor x0 = Tensor::from_vector({n, u.in_channels, u.image_size, u.image_size},
                                        {batch.images.data(), batch.images.data() + n * pixels});

        Rng noise(batch.seed);
        std::vector<float> t(static_cast<size_t>(n));
        std::vector<float> sa(static_cast<size_t>(n)), sb(static_cast<size_t>(n)), w(static_cast<size_t>(n), 1.0f);
        std::vector<float> draw(static_cast<size_t>(n));
        Tensor eps;
        if (batch.seeds) {
            // Example i's timestep and noise from its own seed (ABI 1.3): the same whatever
            // the number of processes sharing the global batch.
            std::vector<float> e(static_cast<size_t>(n * pixels));
            for (int64_t i = 0; i < n; ++i) {
                Rng own(batch.seeds->data()[i]);
                own.fill_uniform(&draw[static_cast<size_t>(i)], 1);
                own.fill_normal(e.data() + i * pixels, pixels);
            }
            eps = Tensor::from_vector(x0.shape(), std::move(e));
        } else {
            noise.fill_uniform(draw.data(), n);
        }
        const int64_t T = static_cast<int64_t>(alphas_cumprod_.size());
        for (size_t i = 0; i < t.size(); ++i) {
            const int64_t step = std::min<int64_t>(static_cast<int64_t>(draw[i] * static_cast<float>(T)), T - 1);
            const float a = alphas_cumprod_[static_cast<size_t>(step)];
            t[i] = static_cast<float>(step), sa[i] = std::sqrt(a), sb[i] = std::sqrt(1.0f - a);
            w[i] = loss_weight(a);
        }
        if (!batch.seeds) eps = noise.normal(x0.shape());
        auto column = [n](std::vector<float> v) { return Tensor::from_vector({n, 1, 1, 1}, std::move(v)); };
        Tensor a_sqrt = column(sa), b_sqrt = column(sb);
        Tensor xt = a_sqrt * x0 + b_sqrt * eps;

        std::vector<int64_t> labels = training_labels(batch, n, noise);
        Tensor prediction = (*net_)(xt, t, labels, /*training=*/true, noise);
        Tensor target = prediction_ == "epsilon"        ? eps
                        : prediction_ == "v_prediction" ? a_sqrt * eps - b_sqrt * x0
                                                        : x0;
        Tensor loss = snr_gamma_ > 0.0f ? mean(column(w) * square(prediction - target)) : mse_loss(prediction, target);
        loss.backward();  // adds into the grads the host zeroed
        losses[0] = loss.item();
    }

    // ---- genhost.denoiser/1 ----------------------------------------------------------
    std::array<int64_t, 3> sample_shape() const override {
        const auto& u = net_->config();
        return {u.in_channels, u.image_size, u.image_size};
    }
    int64_t num_classes() const override { return net_->config().num_class_embeds; }
    const char* prediction_type() const override { return prediction_.c_str(); }

    void set_noise_schedule(const std::vector<float>& alphas_cumprod) override {
        if (alphas_cumprod.empty()) throw std::invalid_argument("set_noise_schedule: the schedule is empty");
        // Zero terminal SNR (Lin et al. 2024, rescale_betas_zero_snr) makes the last entry 0:
        // pure noise, from which only a v or x0 prediction says anything about the image.
        const size_t last = alphas_cumprod.size() - 1;
        if (alphas_cumprod[last] == 0.0f && prediction_ == "epsilon")
            throw std::invalid_argument("set_noise_schedule: the schedule ends at zero SNR (alphas_cumprod[" +
                                        std::to_string(last) + "] = 0), where predicting the noise says nothing "
                                        "about the image; set model.params.prediction_type: v_prediction");
        for (size_t i = 0; i < alphas_cumprod.size(); ++i)
            if (!(alphas_cumprod[i] > 0.0f && alphas_cumprod[i] < 1.0f) && !(i == last && alphas_cumprod[i] == 0.0f))
                throw std::invalid_argument("set_noise_schedule: alphas_cumprod[" + std::to_string(i) + "] = " +
                                            std::to_string(alphas_cumprod[i]) + " is outside (0, 1)");
        alphas_cumprod_ = alphas_cumprod;
    }

    void predict(const genhost::DenoiseRequest& request, const genhost::MutableTensorView& out) override {
        const auto& u = net_->config();
        request.sample.expect_shape({-1, u.in_channels, u.image_size, u.image_size}, "sample");
        const int64_t n = request.sample.dim(0);
        request.timesteps.expect_shape({n}, "timesteps");
        out.expect_shape({n, u.in_channels, u.image_size, u.image_size}, "out");
        if (n == 0) return;
        std::vector<int64_t> labels;
        if (request.labels) {
            request.labels->expect_shape({n}, "labels");
            labels.assign(request.labels->data(), request.labels->data() + n);
            for (int64_t k : labels) check_label(k, true);
        }
        NoGradGuard no_grad;
        Rng unused(0);  // dropout is off outside training
        Tensor x = Tensor::from_vector(
            {n, u.in_channels, u.image_size, u.image_size},
            {request.sample.data(), request.sample.data() + request.sample.numel()});
        std::vector<float> t(request.timesteps.data(), request.timesteps.data() + n);
        Tensor y = (*net_)(x, t, labels, /*training=*/false, unused);
        std::copy(y.data(), y.data() + y.numel(), out.data());
    }

private:
    // The engine's random number generator; inside this class "Generator" would name the
    // generator capability.
    using Rng = genhost::engine::Generator;

    float loss_weight(float a) const {
        if (snr_gamma_ <= 0.0f) return 1.0f;
        const float snr = a / (1.0f - a), clipped = std::min(snr, snr_gamma_);
        if (prediction_ == "epsilon") return clipped / snr;
        if (prediction_ == "v_prediction") return clipped / (snr + 1.0f);
        return clipped;
    }

    void check_label(int64_t k, bool allow_null) const {
        const int64_t classes = net_->config().num_class_embeds;
        if (classes == 0) return;  // an unconditional model ignores labels
        if (k >= classes || k < (allow_null ? -1 : 0))
            throw std::invalid_argument("label " + std::to_string(k) + " is outside [" + (allow_null ? "-1" : "0") +
                                        ", " + std::to_string(classes) + ")");
    }

    // The batch's labels, each replaced by the null class with probability cond_drop_prob.
    std::vector<int64_t> training_labels(const genhost::Batch& batch, int64_t n, Rng& noise) const {
        if (net_->config().num_class_embeds == 0) return {};
        if (!batch.labels)
            throw std::invalid_argument("num_class_embeds > 0 needs labelled data (the dataset has no labels); "
                                        "set num_class_embeds: 0");
        batch.labels->expect_shape({n}, "labels");
        std::vector<int64_t> labels(batch.labels->data(), batch.labels->data() + n);
        std::vector<float> drop(static_cast<size_t>(n));
        noise.fill_uniform(drop.data(), n);
        for (size_t i = 0; i < labels.size(); ++i) {
            check_label(labels[i], false);
            if (drop[i] < cond_drop_) labels[i] = -1;
        }
        return labels;
    }

    std::string prediction_;
    float cond_drop_, snr_gamma_;
    std::vector<float> alphas_cumprod_;
    Parameters params_;
    std::unique_ptr<genhost::unet::UNet> net_;
};

}  // namespace

GENHOST_PLUGINS(UNetDenoiser);
