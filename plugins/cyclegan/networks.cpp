#include "networks.hpp"

using namespace genhost::engine;

namespace cyclegan {

namespace {

constexpr float kSlope = 0.2f;

// InstanceNorm: GroupNorm with a group per channel.
std::unique_ptr<GroupNorm> instance_norm(Parameters& p, const std::string& name, int64_t channels) {
    return std::make_unique<GroupNorm>(p, name, channels, channels);
}

}  // namespace

struct ResnetGenerator::ConvNorm {
    std::unique_ptr<Conv2d> conv;
    std::unique_ptr<ConvTranspose2d> up;
    std::unique_ptr<GroupNorm> norm;
    Tensor operator()(const Tensor& x) const { return (*norm)(conv ? (*conv)(x) : (*up)(x)); }
};

ResnetGenerator::ResnetGenerator(Parameters& p, const std::string& name, const NetworkSizes& s, Generator& init) {
    auto conv = [&](const std::string& n, int64_t in, int64_t out, int64_t k, Conv2dOptions o) {
        auto c = std::make_unique<ConvNorm>();
        c->conv = std::make_unique<Conv2d>(p, name + "." + n, in, out, k, o, init);
        init_normal(c->conv->weight, init, 0.0f, 0.02f);
        init_zeros(c->conv->bias);
        c->norm = instance_norm(p, name + "." + n + "_norm", out);
        return c;
    };
    const int64_t f = s.ngf;
    down_.push_back(conv("in", s.channels, f, 7, {1, 3}));
    down_.push_back(conv("down1", f, 2 * f, 3, {2, 1}));
    down_.push_back(conv("down2", 2 * f, 4 * f, 3, {2, 1}));
    for (int64_t b = 0; b < s.blocks; ++b)
        for (int k = 0; k < 2; ++k)
            blocks_.push_back(conv("block" + std::to_string(b) + ".conv" + std::to_string(k + 1), 4 * f, 4 * f, 3, {1, 1}));
    for (int64_t i = 0; i < 2; ++i) {
        const int64_t in = (4 * f) >> i, out = in / 2;
        auto c = std::make_unique<ConvNorm>();
        const std::string n = name + ".up" + std::to_string(i + 1);
        c->up = std::make_unique<ConvTranspose2d>(p, n, in, out, 4, ConvTranspose2dOptions{2, 1}, init);
        init_normal(c->up->weight, init, 0.0f, 0.02f);
        init_zeros(c->up->bias);
        c->norm = instance_norm(p, n + "_norm", out);
        up_.push_back(std::move(c));
    }
    out_ = std::make_unique<Conv2d>(p, name + ".out", f, s.channels, 7, Conv2dOptions{1, 3}, init);
    init_normal(out_->weight, init, 0.0f, 0.02f);
    init_zeros(out_->bias);
}

ResnetGenerator::~ResnetGenerator() = default;

Tensor ResnetGenerator::operator()(const Tensor& x) const {
    Tensor h = x;
    for (const auto& c : down_) h = relu((*c)(h));
    for (size_t b = 0; b < blocks_.size(); b += 2) h = h + (*blocks_[b + 1])(relu((*blocks_[b])(h)));
    for (const auto& c : up_) h = relu((*c)(h));
    return tanh((*out_)(h));
}

PatchDiscriminator::PatchDiscriminator(Parameters& p, const std::string& name, const NetworkSizes& s, Generator& init) {
    int64_t in = s.channels;
    const int64_t layers = s.d_layers;
    for (int64_t i = 0; i <= layers + 1; ++i) {
        const bool last = i == layers + 1;
        const int64_t out = last ? 1 : s.ndf * std::min<int64_t>(int64_t{1} << std::min<int64_t>(i, 3), 8);
        const int64_t stride = i < layers ? 2 : 1;
        convs_.push_back(std::make_unique<Conv2d>(p, name + ".conv" + std::to_string(i + 1), in, out, 4,
                                                  Conv2dOptions{stride, 1}, init));
        init_normal(convs_.back()->weight, init, 0.0f, 0.02f);
        init_zeros(convs_.back()->bias);
        norms_.push_back(i == 0 || last ? nullptr : instance_norm(p, name + ".norm" + std::to_string(i + 1), out));
        in = out;
    }
}

Tensor PatchDiscriminator::operator()(const Tensor& x) const {
    Tensor h = x;
    for (size_t i = 0; i + 1 < convs_.size(); ++i) {
        h = (*convs_[i])(h);
        if (norms_[i]) h = (*norms_[i])(h);
        h = leaky_relu(h, kSlope);
    }
    return (*convs_.back())(h);
}

}  // namespace cyclegan
