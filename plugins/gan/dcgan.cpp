// The DCGAN G and D at 28x28 (networks.hpp), after PyTorch's examples/dcgan.
#include <stdexcept>

#include "networks.hpp"
#include "spectral_norm.hpp"

using namespace genhost::engine;

namespace gan {

namespace {

constexpr float kSlope = 0.2f;

void check_size(const NetworkShape& s) {
    if (s.height != 28 || s.width != 28)
        throw std::invalid_argument("architecture: dcgan is built for 28x28 images (7 -> 14 -> 28); the data is " +
                                    std::to_string(s.height) + "x" + std::to_string(s.width) +
                                    ": resize it (data.image_size: 28 for shapes) or use architecture: mlp");
}

// DCGAN's weights_init: conv weights N(0, 0.02); norm scales N(1, 0.02), shifts 0.
void dcgan_init(Tensor w, Generator& init) { init_normal(w, init, 0.0f, 0.02f); }

class DcganGenerator : public GeneratorNet {
public:
    DcganGenerator(Parameters& p, const std::string& group, const NetworkShape& s, Generator& init) : shape_(s) {
        check_size(s);
        const int64_t c1 = s.ngf * 4, c2 = s.ngf * 2;
        up1_ = std::make_unique<ConvTranspose2d>(p, group + ".convT1", s.latent_dim + s.classes, c1, 7,
                                                 ConvTranspose2dOptions{1, 0}, init, false);
        bn1_ = std::make_unique<BatchNorm2d>(p, group + ".bn1", c1);
        up2_ = std::make_unique<ConvTranspose2d>(p, group + ".convT2", c1, c2, 4, ConvTranspose2dOptions{2, 1}, init,
                                                 false);
        bn2_ = std::make_unique<BatchNorm2d>(p, group + ".bn2", c2);
        up3_ = std::make_unique<ConvTranspose2d>(p, group + ".convT3", c2, s.channels, 4, ConvTranspose2dOptions{2, 1},
                                                 init, false);
        for (ConvTranspose2d* c : {up1_.get(), up2_.get(), up3_.get()}) dcgan_init(c->weight, init);
        for (BatchNorm2d* b : {bn1_.get(), bn2_.get()}) init_normal(b->weight, init, 1.0f, 0.02f);
    }
    Tensor operator()(const Tensor& z, const Tensor& y, bool training) const override {
        Tensor h = y.defined() ? concat({z, y}, 1) : z;
        h = relu((*bn1_)((*up1_)(reshape(h, {h.size(0), h.size(1), 1, 1})), training));
        h = relu((*bn2_)((*up2_)(h), training));
        return tanh((*up3_)(h));
    }

private:
    NetworkShape shape_;
    std::unique_ptr<ConvTranspose2d> up1_, up2_, up3_;
    std::unique_ptr<BatchNorm2d> bn1_, bn2_;
};

class DcganDiscriminator : public DiscriminatorNet {
public:
    DcganDiscriminator(Parameters& p, const std::string& group, const NetworkShape& s, Generator& init) : shape_(s) {
        check_size(s);
        if (s.discriminator_norm != "batch" && s.discriminator_norm != "layer" && s.discriminator_norm != "none")
            throw std::invalid_argument("discriminator_norm must be batch, layer or none");
        project_ = s.classes > 0 && s.conditioning == "projection";
        const bool bias = s.discriminator_norm != "batch";  // the example's convs have none before BatchNorm
        const int64_t in = s.channels + (s.classes > 0 && !project_ ? s.classes : 0);
        const int64_t c1 = s.ndf, c2 = s.ndf * 2;
        conv1_ = std::make_unique<Conv2d>(p, group + ".conv1", in, c1, 4, Conv2dOptions{2, 1}, init, bias);
        conv2_ = std::make_unique<Conv2d>(p, group + ".conv2", c1, c2, 4, Conv2dOptions{2, 1}, init, bias);
        conv3_ = std::make_unique<Conv2d>(p, group + ".conv3", c2, 1, 7, Conv2dOptions{1, 0}, init, bias);
        for (Conv2d* c : {conv1_.get(), conv2_.get(), conv3_.get()}) {
            dcgan_init(c->weight, init);
            if (c->bias.defined()) init_zeros(c->bias);
        }
        if (s.discriminator_norm == "batch") {
            bn_ = std::make_unique<BatchNorm2d>(p, group + ".bn2", c2);
            init_normal(bn_->weight, init, 1.0f, 0.02f);
        } else if (s.discriminator_norm == "layer") {
            ln_ = std::make_unique<GroupNorm>(p, group + ".ln2", 1, c2);  // one group: LayerNorm over C, H, W
        }
        if (project_) {
            embed_ = std::make_unique<Linear>(p, group + ".embed", s.classes, c2, init, /*with_bias=*/false);
            dcgan_init(embed_->weight, init);
        }
        const std::vector<std::pair<std::string, Tensor>> ws = {
            {".conv1.weight", conv1_->weight}, {".conv2.weight", conv2_->weight}, {".conv3.weight", conv3_->weight}};
        for (const auto& [name, w] : ws)
            weights_.push_back(std::make_unique<DiscriminatorWeight>(p, group + name, w, s.spectral_norm, init));
        if (embed_)
            weights_.push_back(
                std::make_unique<DiscriminatorWeight>(p, group + ".embed.weight", embed_->weight, s.spectral_norm, init));
    }
    void begin(bool update_sn) override {
        for (auto& w : weights_) w->begin(update_sn);
    }
    Tensor operator()(const Tensor& x, const Tensor& y) const override {
        const int64_t n = x.size(0);
        Tensor h = x;
        if (y.defined() && !project_)  // one constant channel per class
            h = concat({x, reshape(y, {n, shape_.classes, 1, 1}) * Tensor::ones({1, 1, shape_.height, shape_.width})}, 1);
        h = leaky_relu(conv2d(h, (*weights_[0])(), conv1_->bias, conv1_->options), kSlope);
        h = conv2d(h, (*weights_[1])(), conv2_->bias, conv2_->options);
        if (bn_) h = (*bn_)(h, /*training=*/true);
        if (ln_) h = (*ln_)(h);
        h = leaky_relu(h, kSlope);
        Tensor score = reshape(conv2d(h, (*weights_[2])(), conv3_->bias, conv3_->options), {n, 1});
        if (project_ && y.defined()) score = score + sum(linear(y, (*weights_[3])()) * sum(h, {2, 3}), {1}, true);
        return reshape(score, {n});
    }
    bool has_batch_norm() const override { return bn_ != nullptr; }

private:
    NetworkShape shape_;
    bool project_ = false;
    std::unique_ptr<Conv2d> conv1_, conv2_, conv3_;
    std::unique_ptr<BatchNorm2d> bn_;
    std::unique_ptr<GroupNorm> ln_;
    std::unique_ptr<Linear> embed_;
    std::vector<std::unique_ptr<DiscriminatorWeight>> weights_;
};

}  // namespace

std::unique_ptr<GeneratorNet> make_dcgan_generator(Parameters& p, const std::string& group, const NetworkShape& s,
                                                   Generator& init) {
    return std::make_unique<DcganGenerator>(p, group, s, init);
}

std::unique_ptr<DiscriminatorNet> make_dcgan_discriminator(Parameters& p, const std::string& group,
                                                           const NetworkShape& s, Generator& init) {
    return std::make_unique<DcganDiscriminator>(p, group, s, init);
}

}  // namespace gan
