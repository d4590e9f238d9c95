// The history of generated images that CycleGAN's discriminators learn from (Zhu et al.
// 2017, section 4, after Shrivastava et al. 2017): "we update the discriminators using a
// history of generated images rather than the ones produced by the latest generators",
// which damps oscillation. A pool of `capacity` images; for each new image:
//   pool not full:   store it and pass it on;
//   otherwise, with probability 1/2: pass on a random stored image and store the new
//   one in its place; else pass the new image on.
// The authors' image_pool.py, image by image. capacity 0 passes every image through.
//
// The pool lives in the plugin's memory: a resumed run starts with an empty pool (it
// fills again in capacity / batch steps).
#pragma once

#include <cstdint>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace cyclegan {

class ImagePool {
public:
    explicit ImagePool(int64_t capacity) : capacity_(capacity) {}
    // images [N, C, H, W] (no graph) -> [N, C, H, W], drawn with `rng`.
    genhost::engine::Tensor query(const genhost::engine::Tensor& images, genhost::engine::Generator& rng);
    int64_t size() const { return static_cast<int64_t>(stored_.size()); }

private:
    int64_t capacity_;
    std::vector<std::vector<float>> stored_;
};

}  // namespace cyclegan
