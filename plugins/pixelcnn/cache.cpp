#include "cache.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

using namespace genhost::engine;

namespace pixelcnn {

Tensor window(const Tensor& plane, int64_t y0, int64_t x0, int64_t kh, int64_t kw) {
    const int64_t planes = plane.size(0) * plane.size(1), H = plane.size(2), W = plane.size(3);
    Tensor out = Tensor::zeros({plane.size(0), plane.size(1), kh, kw});
    const int64_t c0 = std::max<int64_t>(0, x0), c1 = std::min(W, x0 + kw);
    if (c1 <= c0) return out;
    const float* src = plane.data();
    float* dst = out.data();
    for (int64_t i = 0; i < planes; ++i)
        for (int64_t r = 0; r < kh; ++r) {
            const int64_t y = y0 + r;
            if (y < 0 || y >= H) continue;
            std::memcpy(dst + (i * kh + r) * kw + (c0 - x0), src + (i * H + y) * W + c0, sizeof(float) * (c1 - c0));
        }
    return out;
}

void put(Tensor& plane, const Tensor& values, int64_t y0, int64_t x0) {
    const int64_t planes = plane.size(0) * plane.size(1), H = plane.size(2), W = plane.size(3);
    const int64_t rows = values.dim() == 4 ? values.size(2) : 1, cols = values.dim() == 4 ? values.size(3) : 1;
    const float* src = values.data();
    float* dst = plane.data();
    for (int64_t i = 0; i < planes; ++i)
        for (int64_t r = 0; r < rows; ++r)
            std::memcpy(dst + (i * H + y0 + r) * W + x0, src + (i * rows + r) * cols, sizeof(float) * cols);
}

Dense::Dense(const Tensor& conv_weight, const Tensor& bias, const Tensor& mask) : bias_(bias) {
    const int64_t out = conv_weight.size(0), cols = conv_weight.numel() / out;
    if (!mask.defined()) {
        weight_ = reshape(conv_weight, {out, cols});
        return;
    }
    const float* m = mask.data();
    for (int64_t j = 0; j < cols; ++j) {
        bool open = false;
        for (int64_t o = 0; o < out && !open; ++o) open = m[o * cols + j] != 0.0f;
        if (open) columns_.push_back(j);
    }
    const int64_t k = static_cast<int64_t>(columns_.size());
    weight_ = Tensor::empty({out, k});
    const float* w = conv_weight.data();
    for (int64_t o = 0; o < out; ++o)
        for (int64_t j = 0; j < k; ++j) {
            const int64_t c = columns_[size_t(j)];
            weight_.data()[o * k + j] = w[o * cols + c] * m[o * cols + c];
        }
}

Tensor Dense::operator()(const Tensor& window) const {
    const int64_t n = window.size(0);
    if (columns_.empty()) return linear(reshape(window, {n, weight_.size(1)}), weight_, bias_);
    const int64_t k = weight_.size(1), cols = window.numel() / n;
    Tensor x = Tensor::empty({n, k});
    const float* src = window.data();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < k; ++j) x.data()[i * k + j] = src[i * cols + columns_[size_t(j)]];
    return linear(x, weight_, bias_);
}

Tensor window_logits(const Network& net, const ImageShape& shape, const Tensor& input,
                     const std::vector<int64_t>& labels, int64_t position) {
    const int64_t C = shape.channels, W = shape.width, L = shape.levels, n = input.size(0);
    const int64_t c = position % C, col = (position / C) % W, row = position / (C * W), r = net.reach();
    const int64_t y0 = std::max<int64_t>(0, row - r), x0 = std::max<int64_t>(0, col - r),
                  x1 = std::min<int64_t>(W, col + r + 1);
    const int64_t wh = row + 1 - y0, ww = x1 - x0;
    Tensor l = net.on_window(window(input, y0, x0, wh, ww), labels, y0, x0);  // [n, L, C, wh, ww]
    Tensor out = Tensor::empty({n, L});
    for (int64_t i = 0; i < n * L; ++i) out.data()[i] = l.data()[((i * C + c) * wh + (wh - 1)) * ww + (col - x0)];
    return out;
}

Tensor CachedLogits::operator()(const Tensor& input, const std::vector<int64_t>& labels, int64_t position) {
    const int64_t C = shape_.channels, H = shape_.height, W = shape_.width, L = shape_.levels;
    const int64_t n = input.size(0), cin = input.size(1), q = position / C, c = position % C;
    const float* in = input.data();
    const size_t count = static_cast<size_t>(input.numel());
    if (position == 0 || !stepper_ || labels != labels_ || seen_.size() != count) {
        stepper_ = net_.stepper(n, labels, H, W);
        labels_ = labels;
        seen_.assign(in, in + count);
        ready_ = 0;
    } else if (std::memcmp(in, seen_.data(), count * sizeof(float)) != 0) {
        // The first position whose input changed; the pixels that depend on it are stale.
        int64_t first = std::numeric_limits<int64_t>::max();
        for (size_t i = 0; i < count; ++i)
            if (in[i] != seen_[i]) {
                const int64_t j = static_cast<int64_t>(i), x = j % W, y = (j / W) % H, ci = (j / (H * W)) % cin;
                first = std::min(first, (y * W + x) * C + ci * C / cin);
                seen_[i] = in[i];
            }
        ready_ = std::min(ready_, (first + 1) / C);
    }
    ready_ = std::min(ready_, q);
    // Catching up a row of pixels costs about what one window does.
    cached_ = q - ready_ <= W;
    if (!cached_) return window_logits(net_, shape_, input, labels, position);
    Tensor l;  // [n, L, C]
    for (int64_t p = ready_; p <= q; ++p) l = stepper_->step(input, p / W, p % W);
    // The pixel's units are final once computed with all its channels but the last known.
    ready_ = c == C - 1 ? q + 1 : q;
    Tensor out = Tensor::empty({n, L});
    for (int64_t i = 0; i < n * L; ++i) out.data()[i] = l.data()[i * C + c];
    return out;
}

}  // namespace pixelcnn
