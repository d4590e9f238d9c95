// The fully connected G and D (networks.hpp).
#include <stdexcept>

#include "networks.hpp"
#include "spectral_norm.hpp"

using namespace genhost::engine;

namespace gan {

namespace {

constexpr float kSlope = 0.2f;

Tensor with_label(const Tensor& h, const Tensor& y) { return y.defined() ? concat({h, y}, 1) : h; }

class MlpGenerator : public GeneratorNet {
public:
    MlpGenerator(Parameters& p, const std::string& group, const NetworkShape& s, Generator& init) : shape_(s) {
        int64_t in = s.latent_dim + s.classes;
        for (int64_t h : s.generator_hidden) {
            fc_.emplace_back(p, group + ".fc" + std::to_string(fc_.size() + 1), in, h, init);
            in = h;
        }
        out_ = std::make_unique<Linear>(p, group + ".out", in, s.channels * s.height * s.width, init);
    }
    Tensor operator()(const Tensor& z, const Tensor& y, bool) const override {
        Tensor h = with_label(z, y);
        for (const Linear& fc : fc_) h = leaky_relu(fc(h), kSlope);
        return reshape(tanh((*out_)(h)), {z.size(0), shape_.channels, shape_.height, shape_.width});
    }

private:
    NetworkShape shape_;
    std::vector<Linear> fc_;
    std::unique_ptr<Linear> out_;
};

class MlpDiscriminator : public DiscriminatorNet {
public:
    MlpDiscriminator(Parameters& p, const std::string& group, const NetworkShape& s, Generator& init) : shape_(s) {
        const bool project = s.classes > 0 && s.conditioning == "projection";
        int64_t in = s.channels * s.height * s.width + (s.classes > 0 && !project ? s.classes : 0);
        for (int64_t h : s.discriminator_hidden) add(p, group + ".fc" + std::to_string(fc_.size() + 1), in, h, init), in = h;
        add(p, group + ".out", in, 1, init);
        if (project) {
            embed_ = std::make_unique<Linear>(p, group + ".embed", s.classes, in, init, /*with_bias=*/false);
            embed_weight_ = std::make_unique<DiscriminatorWeight>(p, group + ".embed.weight", embed_->weight,
                                                                  s.spectral_norm, init);
        }
    }
    void begin(bool update_sn) override {
        for (auto& w : weights_) w->begin(update_sn);
        if (embed_weight_) embed_weight_->begin(update_sn);
    }
    Tensor operator()(const Tensor& x, const Tensor& y) const override {
        Tensor h = flatten(x);
        if (!embed_) h = with_label(h, y);
        const size_t last = fc_.size() - 1;
        for (size_t i = 0; i < last; ++i) h = leaky_relu(linear(h, (*weights_[i])(), fc_[i].bias), kSlope);
        Tensor score = linear(h, (*weights_[last])(), fc_[last].bias);
        if (embed_ && y.defined()) score = score + sum(linear(y, (*embed_weight_)()) * h, {1}, true);
        return reshape(score, {x.size(0)});
    }
    bool has_batch_norm() const override { return false; }

private:
    void add(Parameters& p, const std::string& name, int64_t in, int64_t out, Generator& init) {
        fc_.emplace_back(p, name, in, out, init);
        weights_.push_back(std::make_unique<DiscriminatorWeight>(p, name + ".weight", fc_.back().weight,
                                                                 shape_.spectral_norm, init));
    }

    NetworkShape shape_;
    std::vector<Linear> fc_;  // hidden layers, then the score
    std::vector<std::unique_ptr<DiscriminatorWeight>> weights_;
    std::unique_ptr<Linear> embed_;  // projection: V [features, classes]
    std::unique_ptr<DiscriminatorWeight> embed_weight_;
};

}  // namespace

std::unique_ptr<GeneratorNet> make_mlp_generator(Parameters& p, const std::string& group, const NetworkShape& s,
                                                 Generator& init) {
    return std::make_unique<MlpGenerator>(p, group, s, init);
}

std::unique_ptr<DiscriminatorNet> make_mlp_discriminator(Parameters& p, const std::string& group,
                                                         const NetworkShape& s, Generator& init) {
    return std::make_unique<MlpDiscriminator>(p, group, s, init);
}

}  // namespace gan
