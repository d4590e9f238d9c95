// Losses, written as in the textbook where composites are exact, fused where stability
// or speed need it (bce_with_logits, cross_entropy's pick).
#include <cmath>
#include <string>

#include "kernels.hpp"
#include "vmath.hpp"
#include "genhost/engine/loss.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

namespace {
void same_shape(const char* op, const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) shape_error(shapes_message(op, a.shape(), b.shape(), "(prediction, target) differ"));
}

}  // namespace

Tensor mse_loss(const Tensor& p, const Tensor& t) {
    same_shape("mse_loss", p, t);
    return mean(square(p - t));
}

Tensor l1_loss(const Tensor& p, const Tensor& t) {
    same_shape("l1_loss", p, t);
    return mean(abs(p - t));
}

Tensor bce_with_logits(const Tensor& z, const Tensor& t) {
    same_shape("bce_with_logits", z, t);
    const int64_t n = z.numel();
    const float* pz = z.data();
    const float* pt = t.data();
    double acc = 0;
    for (int64_t i = 0; i < n; ++i)
        acc += std::max(pz[i], 0.0f) - pz[i] * pt[i] + std::log1p(std::exp(-std::fabs(pz[i])));
    Tensor out = Tensor::scalar(static_cast<float>(acc / static_cast<double>(n)));
    return record("bce_with_logits", out, {z, t}, [z, t, n](const Tensor& g) {
        // d/dz = (sigmoid(z) - t) / n, d/dt = -z / n
        Tensor scale = g * (1.0f / static_cast<float>(n));
        return std::vector<Tensor>{z.requires_grad() ? (sigmoid(z) - t) * scale : Tensor(),
                                   t.requires_grad() ? neg(z) * scale : Tensor()};
    });
}

Tensor cross_entropy(const Tensor& logits, const std::vector<int64_t>& target) {
    if (logits.dim() < 2)
        shape_error("cross_entropy: logits must be [N, C] or [N, C, ...], got " + logits.shape_str());
    const int64_t N = logits.size(0), C = logits.size(1);
    const int64_t positions = logits.numel() / std::max<int64_t>(1, C);
    if (static_cast<int64_t>(target.size()) != positions)
        shape_error("cross_entropy: logits " + logits.shape_str() + " need " + std::to_string(positions) +
                    " target indices (N times the trailing dims), got " + std::to_string(target.size()));
    for (size_t i = 0; i < target.size(); ++i)
        if (target[i] < 0 || target[i] >= C)
            throw std::invalid_argument("cross_entropy: target[" + std::to_string(i) + "] = " + std::to_string(target[i]) +
                                        " is outside the " + std::to_string(C) + " classes [0, " + std::to_string(C - 1) + "]");
    // One op, not nll(log_softmax(x)): it keeps only log p, and its backward writes
    // d/dx = g (softmax - onehot) / positions into one buffer. The composite kept the
    // logits, log p and four temporaries of their size alive at the backward's peak
    // (PixelCNN's [32, 256, 28, 28] logits are 26 MB each). First order only, as before.
    Tensor logp;
    {
        NoGradGuard no_grad;
        logp = log_softmax(logits.detach(), 1);
    }
    const int64_t P = positions / std::max<int64_t>(1, N);
    const float* lp = logp.data();
    double acc = 0;
    for (int64_t n = 0; n < N; ++n)
        for (int64_t p = 0; p < P; ++p) acc += lp[(n * C + target[n * P + p]) * P + p];
    Tensor out = Tensor::scalar(static_cast<float>(-acc / static_cast<double>(N * P)));
    return record("cross_entropy", out, {logits}, [logp, target, N, C, P](const Tensor& g) {
        first_order_only("cross_entropy", g);
        Tensor dx = Tensor::empty(logp.shape());
        const float scale = g.item() / static_cast<float>(N * P);
        float* pd = dx.data();
        vmath::exp(logp.data(), pd, dx.numel());  // softmax
        parallel_for(dx.numel(), 1 << 14, [&](int64_t lo, int64_t hi) {
            for (int64_t i = lo; i < hi; ++i) pd[i] *= scale;
        });
        for (int64_t n = 0; n < N; ++n)
            for (int64_t p = 0; p < P; ++p) pd[(n * C + target[n * P + p]) * P + p] -= scale;
        return std::vector<Tensor>{dx};
    });
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target) {
    std::vector<int64_t> idx(target.numel());
    const float* pt = target.data();
    for (int64_t i = 0; i < target.numel(); ++i) {
        if (pt[i] != std::floor(pt[i]))
            throw std::invalid_argument("cross_entropy: target[" + std::to_string(i) + "] = " + std::to_string(pt[i]) +
                                        " is not a class index (an integral value)");
        idx[i] = static_cast<int64_t>(pt[i]);
    }
    return cross_entropy(logits, idx);
}

Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar) {
    same_shape("gaussian_kl", mu, logvar);
    if (mu.dim() < 1) shape_error("gaussian_kl: expected [N, ...], got a scalar");
    float n = static_cast<float>(mu.size(0));
    return sum(1.0f + logvar - square(mu) - exp(logvar)) * (-0.5f / n);
}

}  // namespace genhost::engine
