// Tiling a batch of images into one picture, like torchvision.utils.make_grid followed
// by save_image:
//
//   genhost::image::save_grid("samples.png", batch.data(), 64, 1, 28, 28,
//                             /*columns*/ 8, /*padding*/ 2, {-1.f, 1.f});
//
// Layout (same as torchvision): columns' = min(columns, N), rows = ceil(N / columns'),
// width  = columns' * (W + padding) + padding,
// height = rows     * (H + padding) + padding,
// image k at row k / columns', column k % columns', padding filled with pad_value.
// Pixel value: clamp(x, lo, hi), then (x - lo) / (hi - lo), then byte = floor(v*255 + 0.5)
// clamped to [0, 255]; NaN becomes lo. The arithmetic is float32, as torchvision's.
// Differences from torchvision, on purpose: one-channel images stay gray (torchvision
// repeats them to RGB; the pixel values are the same), and a single image still gets
// its padding (torchvision returns it bare).
// Thread rule: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genhost::image {

struct ValueRange {
    float lo = 0.f;  // maps to byte 0
    float hi = 1.f;  // maps to byte 255
};

struct Grid {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t channels = 0;        // 1 or 3, the images' channel count
    std::vector<uint8_t> pixels;  // height * width * channels, HWC
};

// images: N x C x H x W float32, contiguous (NCHW). C must be 1 or 3. pad_value is in
// the images' own units (it goes through the same mapping), so 0 with range {0,1} is
// black, and lo with any range is black.
// Throws what make_grid would throw for these sizes (no images, bad channels, a grid
// wider or taller than a PNG may be), without any pixels: for checking before work.
// `scale` is the factor save_grid enlarges the grid by (1 = none).
void check_grid(int64_t n, int64_t c, int64_t h, int64_t w, int64_t columns, int64_t padding, ValueRange range,
                int64_t scale = 1);

Grid make_grid(const float* images, int64_t n, int64_t c, int64_t h, int64_t w,
               int64_t columns = 8, int64_t padding = 2, ValueRange range = {},
               float pad_value = 0.f);

// Each pixel of `grid` repeated into a factor x factor block (nearest neighbour): small
// images at a size a person can read without a blurry resampling.
Grid upscale(const Grid& grid, int64_t factor);

// The scale for "auto" (a grid scale of 0): the smallest whole factor that makes an
// image at least 64 pixels on its longer side (3 for 28x28, 2 for 32x32, 1 from 64).
int64_t auto_scale(int64_t h, int64_t w);

// make_grid, then upscale by `scale` (0 = auto_scale), then write_png. Errors name the path.
void save_grid(const std::string& path, const float* images, int64_t n, int64_t c,
               int64_t h, int64_t w, int64_t columns = 8, int64_t padding = 2,
               ValueRange range = {}, float pad_value = 0.f, int64_t scale = 1);

// One float to one byte, as described above (exposed for tests and image writers).
uint8_t to_byte(float x, ValueRange range);

}  // namespace genhost::image
