#include "data/shapes.hpp"

#include "data/rng.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cmath>

namespace genhost::data {
namespace {

// Signed distances (negative inside), after Inigo Quilez's 2D distance functions.
// Every shape fits in the circle of radius r around the origin.
float length(float x, float y) { return std::sqrt(x * x + y * y); }

float box(float x, float y, float bx, float by) {
    const float dx = std::fabs(x) - bx, dy = std::fabs(y) - by;
    return length(std::max(dx, 0.f), std::max(dy, 0.f)) + std::min(std::max(dx, dy), 0.f);
}

float triangle(float x, float y, float r) {  // equilateral, circumradius r
    const float k = std::sqrt(3.f), t = r * k / 2.f;  // t: half the side
    x = std::fabs(x) - t;
    y = y + t / k;
    if (x + k * y > 0.f) {
        const float nx = (x - k * y) / 2.f, ny = (-k * x - y) / 2.f;
        x = nx;
        y = ny;
    }
    x -= std::clamp(x, -2.f * t, 0.f);
    return -length(x, y) * (y > 0.f ? 1.f : y < 0.f ? -1.f : 0.f);
}

float shape_distance(int shape, float x, float y, float r) {
    switch (shape) {
        case 0: return length(x, y) - r;                                   // circle
        case 1: return box(x, y, r / std::sqrt(2.f), r / std::sqrt(2.f));  // square
        case 2: return triangle(x, y, r);                                  // triangle
        case 3: return std::min(box(x, y, 0.9f * r, 0.3f * r), box(x, y, 0.3f * r, 0.9f * r));
        default: return std::fabs(length(x, y) - 0.75f * r) - 0.25f * r;  // ring
    }
}

}  // namespace

const std::vector<std::string>& shape_names() {
    static const std::vector<std::string> names = {"circle", "square", "triangle", "cross", "ring"};
    return names;
}

Dataset make_shapes(const ShapesOptions& opt) {
    if (opt.count < 1 || opt.count > 1000000) {
        throw Error("data.shapes.count: " + std::to_string(opt.count) + " is out of range; expected 1..1000000");
    }
    if (opt.size < 8 || opt.size > 1024) {
        throw Error("data.shapes.size: " + std::to_string(opt.size) + " is out of range; expected 8..1024 pixels");
    }
    if (opt.channels != 1 && opt.channels != 3) {
        throw Error("data.shapes.channels: " + std::to_string(opt.channels) + " is not supported; expected 1 or 3");
    }
    Dataset ds;
    ds.n = opt.count;
    ds.channels = opt.channels;
    ds.height = ds.width = opt.size;
    if (ds.n > max_dataset_elements / ds.image_size()) {
        throw Error("data.shapes: " + std::to_string(ds.n) + " images of " + std::to_string(opt.size) +
                    " pixels squared are too many to hold in memory; lower count or size");
    }
    ds.images.assign(size_t(ds.n * ds.image_size()), 0.f);
    ds.labels.resize(size_t(ds.n));
    ds.class_names = shape_names();
    ds.num_classes = int64_t(ds.class_names.size());

    const float side = float(opt.size);
    const int64_t plane = opt.size * opt.size;
    std::vector<float> coverage(static_cast<size_t>(plane));
    for (int64_t i = 0; i < ds.n; ++i) {
        Rng rng(derive_seed(opt.seed, uint64_t(i)));
        const int shape = int(i % ds.num_classes);
        ds.labels[size_t(i)] = shape;
        const float r = rng.uniform(0.2f, 0.45f) * side;
        // one pixel of margin keeps the anti-aliased edge off the border
        const float cx = rng.uniform(r + 1.f, side - r - 1.f);
        const float cy = rng.uniform(r + 1.f, side - r - 1.f);
        const float angle = rng.uniform(0.f, 6.2831853f);
        const float cs = std::cos(angle), sn = std::sin(angle);
        float colour[3];
        if (opt.channels == 1) {
            colour[0] = rng.uniform(0.7f, 1.f);
        } else {
            for (float& c : colour) c = rng.uniform(0.2f, 1.f);
        }
        for (int64_t y = 0; y < opt.size; ++y) {
            for (int64_t x = 0; x < opt.size; ++x) {
                const float dx = float(x) + 0.5f - cx, dy = float(y) + 0.5f - cy;
                const float u = cs * dx + sn * dy, v = -sn * dx + cs * dy;
                coverage[size_t(y * opt.size + x)] =
                    std::clamp(0.5f - shape_distance(shape, u, v, r), 0.f, 1.f);
            }
        }
        float* out = ds.images.data() + i * ds.image_size();
        for (int64_t c = 0; c < opt.channels; ++c) {
            for (int64_t p = 0; p < plane; ++p) out[c * plane + p] = coverage[size_t(p)] * colour[c];
        }
    }
    ds.source = "shapes (count " + std::to_string(opt.count) + ", size " + std::to_string(opt.size) +
                ", channels " + std::to_string(opt.channels) + ", seed " + std::to_string(opt.seed) + ")";
    return ds;
}

}  // namespace genhost::data
