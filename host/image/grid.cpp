#include "image/grid.hpp"

#include "image/png.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cmath>

namespace genhost::image {

uint8_t to_byte(float x, ValueRange range) {
    if (std::isnan(x)) x = range.lo;
    x = std::min(std::max(x, range.lo), range.hi);
    // torchvision divides by max(hi - lo, 1e-5) so that a constant range does not divide by 0
    const float span = std::max(range.hi - range.lo, 1e-5f);
    const float v = (x - range.lo) / span * 255.f + 0.5f;
    return static_cast<uint8_t>(std::min(std::max(v, 0.f), 255.f));
}

void check_grid(int64_t n, int64_t c, int64_t h, int64_t w, int64_t columns, int64_t padding, ValueRange range,
                int64_t scale) {
    const std::string what = "make_grid: ";
    if (n < 1) throw Error(what + "no images to tile (N = " + std::to_string(n) + ")");
    if (c != 1 && c != 3) {
        throw Error(what + "images have " + std::to_string(c) +
                    " channels; a PNG grid needs 1 (gray) or 3 (RGB)");
    }
    if (h < 1 || w < 1) {
        throw Error(what + "image size " + std::to_string(h) + "x" + std::to_string(w) +
                    " must be positive");
    }
    if (columns < 1) throw Error(what + "columns must be at least 1, got " + std::to_string(columns));
    if (padding < 0) throw Error(what + "padding must be 0 or more, got " + std::to_string(padding));
    if (!(range.hi > range.lo)) {
        throw Error(what + "value range [" + std::to_string(range.lo) + ", " +
                    std::to_string(range.hi) + "] is empty; expected lo < hi, e.g. [-1, 1]");
    }
    const int64_t xmaps = std::min(columns, n);
    const int64_t ymaps = (n + xmaps - 1) / xmaps;
    const int64_t cell_h = h + padding, cell_w = w + padding;
    if (scale < 1) throw Error(what + "scale must be at least 1, got " + std::to_string(scale));
    const int64_t grid_h = (ymaps * cell_h + padding) * scale, grid_w = (xmaps * cell_w + padding) * scale;
    if (grid_h > png_max_side || grid_w > png_max_side) {
        throw Error(what + "the grid would be " + std::to_string(grid_w) + "x" +
                    std::to_string(grid_h) + " pixels, more than " +
                    std::to_string(png_max_side) + " per side; save fewer images, "
                    "change columns or lower the grid's scale");
    }
}

Grid make_grid(const float* images, int64_t n, int64_t c, int64_t h, int64_t w,
               int64_t columns, int64_t padding, ValueRange range, float pad_value) {
    check_grid(n, c, h, w, columns, padding, range);
    const int64_t xmaps = std::min(columns, n);
    const int64_t ymaps = (n + xmaps - 1) / xmaps;
    const int64_t cell_h = h + padding, cell_w = w + padding;
    const int64_t grid_h = ymaps * cell_h + padding, grid_w = xmaps * cell_w + padding;
    Grid grid;
    grid.width = uint32_t(grid_w);
    grid.height = uint32_t(grid_h);
    grid.channels = uint32_t(c);
    grid.pixels.assign(size_t(grid_w * grid_h * c), to_byte(pad_value, range));
    for (int64_t k = 0; k < n; ++k) {
        const int64_t top = (k / xmaps) * cell_h + padding;
        const int64_t left = (k % xmaps) * cell_w + padding;
        const float* image = images + k * c * h * w;
        for (int64_t ch = 0; ch < c; ++ch) {
            for (int64_t y = 0; y < h; ++y) {
                const float* src = image + (ch * h + y) * w;
                uint8_t* dst = grid.pixels.data() + ((top + y) * grid_w + left) * c + ch;
                for (int64_t x = 0; x < w; ++x) dst[x * c] = to_byte(src[x], range);
            }
        }
    }
    return grid;
}

Grid upscale(const Grid& grid, int64_t factor) {
    if (factor == 1) return grid;
    Grid out;
    out.width = uint32_t(grid.width * factor), out.height = uint32_t(grid.height * factor);
    out.channels = grid.channels;
    out.pixels.resize(size_t(out.width) * out.height * out.channels);
    const size_t c = grid.channels, row_in = size_t(grid.width) * c, row_out = size_t(out.width) * c;
    for (uint32_t y = 0; y < grid.height; ++y) {
        uint8_t* dst = out.pixels.data() + size_t(y) * size_t(factor) * row_out;
        const uint8_t* src = grid.pixels.data() + size_t(y) * row_in;
        for (uint32_t x = 0; x < grid.width; ++x)
            for (int64_t k = 0; k < factor; ++k) std::copy_n(src + x * c, c, dst + (size_t(x) * size_t(factor) + size_t(k)) * c);
        for (int64_t k = 1; k < factor; ++k) std::copy_n(dst, row_out, dst + size_t(k) * row_out);
    }
    return out;
}

int64_t auto_scale(int64_t h, int64_t w) {
    const int64_t side = std::max<int64_t>(1, std::max(h, w));
    return std::max<int64_t>(1, (64 + side - 1) / side);
}

void save_grid(const std::string& path, const float* images, int64_t n, int64_t c,
               int64_t h, int64_t w, int64_t columns, int64_t padding, ValueRange range,
               float pad_value, int64_t scale) {
    Grid grid;
    try {
        if (scale == 0) scale = auto_scale(h, w);
        check_grid(n, c, h, w, columns, padding, range, scale);
        grid = upscale(make_grid(images, n, c, h, w, columns, padding, range, pad_value), scale);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    write_png(path, grid.pixels.data(), grid.width, grid.height, grid.channels);
}

}  // namespace genhost::image
