#include "sample/autoregressive.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <algorithm>
#include <cmath>

#include "data/rng.hpp"
#include "util/error.hpp"

namespace genhost::sample {

int64_t to_level(float value, float lo, float hi, int64_t levels) {
    const double l = std::round(double(value - lo) / double(hi - lo) * double(levels - 1));
    return std::clamp<int64_t>(static_cast<int64_t>(l), 0, levels - 1);
}

float from_level(int64_t level, float lo, float hi, int64_t levels) {
    return lo + (hi - lo) * static_cast<float>(level) / static_cast<float>(levels - 1);
}

int64_t autoregressive_positions(const loader::PluginInstance& model) {
    const std::array<int64_t, 3> s = model.sample_shape();
    return s[0] * s[1] * s[2];
}

namespace {

// A draw from softmax(logits / temperature) by inverting the cumulative sum at u in [0, 1);
// temperature 0 takes the most likely level.
int64_t draw_level(const float* logits, int64_t levels, double temperature, double u, std::vector<double>& p) {
    if (temperature == 0) return std::max_element(logits, logits + levels) - logits;
    const double top = *std::max_element(logits, logits + levels);
    double total = 0;
    for (int64_t k = 0; k < levels; ++k) total += p[size_t(k)] = std::exp((logits[k] - top) / temperature);
    double target = u * total, run = 0;
    for (int64_t k = 0; k < levels; ++k)
        if ((run += p[size_t(k)]) > target) return k;
    return levels - 1;
}

}  // namespace

void autoregressive_batch(const loader::PluginInstance& model, const SampleSpec& spec, int64_t first, int64_t n,
                          float* out, Progress& progress, int64_t& done) {
    const genhost_autoregressive* a = model.autoregressive();
    const std::array<int64_t, 3> s = model.sample_shape();
    const int64_t C = s[0], H = s[1], W = s[2], per = C * H * W;
    const int64_t L = a->num_levels(model.raw());
    if (L < 2 || L > (int64_t{1} << 24))
        throw Error("plugin '" + model.id() + "': num_levels returned " + std::to_string(L) + "; must be at least 2");
    const int64_t classes = a->num_classes(model.raw());
    std::vector<int64_t> labels = labels_for(spec, first, n, classes, model.id());

    std::vector<int64_t> x(static_cast<size_t>(n * per), 0), x_shape = {n, C, H, W}, label_shape = {n};
    DLTensor tx = make_dltensor(x.data(), x_shape), ty = make_dltensor(labels.data(), label_shape);
    const DLTensor* y = labels.empty() ? nullptr : &ty;
    const bool at = a->logits_at != nullptr;
    std::vector<float> logits(static_cast<size_t>(at ? n * L : n * L * per));
    std::vector<int64_t> one_shape = {n, L}, all_shape = {n, L, C, H, W};
    DLTensor tl = at ? make_dltensor(logits.data(), one_shape) : make_dltensor(logits.data(), all_shape);

    const CompletionGuide* guide = spec.complete;
    std::vector<data::Rng> rngs;
    for (int64_t k = 0; k < n; ++k) rngs.emplace_back(image_seed(spec, first + k));
    std::vector<double> scratch(static_cast<size_t>(L));
    const float lo = spec.range_lo, hi = spec.range_hi;
    for (int64_t pos = 0; pos < per; ++pos) {
        // Raster position (y * W + x) * C + c is element (c, y, x) of an image.
        const int64_t c = pos % C, col = (pos / C) % W, row = pos / (C * W);
        const int64_t element = (c * H + row) * W + col;
        std::vector<double> u(static_cast<size_t>(n));
        for (int64_t k = 0; k < n; ++k) u[size_t(k)] = double(rngs[size_t(k)].next() >> 11) * 0x1.0p-53;
        // logits_at is called at every position, known in every image or not: the ABI
        // promises positions in raster order from 0, so a plugin may cache between calls
        // (genhost/ext/autoregressive.h). Only a whole-image `logits` call is skipped there.
        bool all_known = guide != nullptr && !at;
        for (int64_t k = 0; k < n && all_known; ++k) all_known = guide->mask[(first + k) * per + element] > 0;
        if (!all_known) {
            if (at)
                model.check(a->logits_at(model.raw(), &tx, y, pos, &tl), "logits_at");
            else
                model.check(a->logits(model.raw(), &tx, y, &tl), "logits");
        }
        for (int64_t k = 0; k < n; ++k) {
            const size_t i = size_t(k * per + element);
            if (guide && guide->mask[(first + k) * per + element] > 0) {
                x[i] = to_level(guide->known[(first + k) * per + element], lo, hi, L);
                continue;
            }
            const float* l = nullptr;
            std::vector<float> row_logits;
            if (at) {
                l = logits.data() + k * L;
            } else {
                row_logits.resize(size_t(L));
                for (int64_t j = 0; j < L; ++j) row_logits[size_t(j)] = logits[size_t((k * L + j) * per + element)];
                l = row_logits.data();
            }
            for (int64_t j = 0; j < L; ++j)
                if (!std::isfinite(l[j]))
                    throw Error("plugin '" + model.id() + "': logits at position " + std::to_string(pos) +
                                " are not finite");
            x[i] = draw_level(l, L, spec.temperature, u[size_t(k)], scratch);
        }
        progress.update(++done, "positions");
    }
    for (int64_t i = 0; i < n * per; ++i) out[i] = from_level(x[size_t(i)], lo, hi, L);
}

}  // namespace genhost::sample
