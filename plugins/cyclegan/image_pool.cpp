#include "image_pool.hpp"

#include <algorithm>

using namespace genhost::engine;

namespace cyclegan {

Tensor ImagePool::query(const Tensor& images, Generator& rng) {
    if (capacity_ == 0) return images;
    const int64_t n = images.size(0), per = images.numel() / n;
    const Tensor u = rng.uniform({n, 2});  // per image: the coin, then which stored image
    std::vector<float> out(images.data(), images.data() + images.numel());
    for (int64_t i = 0; i < n; ++i) {
        std::vector<float> image(out.begin() + i * per, out.begin() + (i + 1) * per);
        if (size() < capacity_) {
            stored_.push_back(std::move(image));
        } else if (u.data()[2 * i] > 0.5f) {
            const auto k = static_cast<size_t>(std::min<int64_t>(capacity_ - 1, static_cast<int64_t>(u.data()[2 * i + 1] * capacity_)));
            std::copy(stored_[k].begin(), stored_[k].end(), out.begin() + i * per);
            stored_[k] = std::move(image);
        }
    }
    return Tensor::from_vector(images.shape(), std::move(out));
}

}  // namespace cyclegan
