// Philox-4x32-10 (Salmon et al. 2011): a counter-based generator. Block c of the stream
// is philox(key = seed, counter = c), four 32-bit words, so any element can be computed
// independently of the others: parallel fills are identical to serial ones.
#include <cmath>
#include <stdexcept>

#include "kernels.hpp"
#include "genhost/engine/random.hpp"

namespace genhost::engine {

namespace {

struct Block { uint32_t v[4]; };

Block philox(uint64_t seed, uint64_t counter) {
    uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int r = 0; r < 10; ++r) {
        uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
        uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
        uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
        uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
        c1 = static_cast<uint32_t>(p1);
        c3 = static_cast<uint32_t>(p0);
        c0 = n0;
        c2 = n2;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return Block{{c0, c1, c2, c3}};
}

inline float to_unit(uint32_t u) { return static_cast<float>(u >> 8) * (1.0f / 16777216.0f); }  // [0, 1)

}  // namespace

void Generator::fill_uniform(float* out, int64_t n) {
    const uint64_t base = offset_;
    const int64_t blocks = (n + 3) / 4;
    parallel_for(blocks, 1 << 14, [&](int64_t lo, int64_t hi) {
        for (int64_t b = lo; b < hi; ++b) {
            Block k = philox(seed_, base + b);
            for (int j = 0; j < 4 && b * 4 + j < n; ++j) out[b * 4 + j] = to_unit(k.v[j]);
        }
    });
    offset_ += blocks;
}

void Generator::fill_normal(float* out, int64_t n) {
    // Box-Muller: block b gives elements 2b (cos) and 2b+1 (sin).
    const uint64_t base = offset_;
    const int64_t blocks = (n + 1) / 2;
    parallel_for(blocks, 1 << 13, [&](int64_t lo, int64_t hi) {
        for (int64_t b = lo; b < hi; ++b) {
            Block k = philox(seed_, base + b);
            float u1 = (static_cast<float>(k.v[0] >> 8) + 1.0f) * (1.0f / 16777216.0f);  // (0, 1]: log is finite
            float u2 = to_unit(k.v[1]);
            float r = std::sqrt(-2.0f * std::log(u1));
            float a = 6.283185307179586f * u2;
            out[2 * b] = r * std::cos(a);
            if (2 * b + 1 < n) out[2 * b + 1] = r * std::sin(a);
        }
    });
    offset_ += blocks;
}

Tensor Generator::normal(const Shape& shape, float mean, float stddev) {
    Tensor t = Tensor::empty(shape);
    fill_normal(t.data(), t.numel());
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = mean + stddev * p[i];
    return t;
}

Tensor normal_rows(int64_t n, int64_t d, uint64_t seed, const uint64_t* seeds) {
    if (!seeds) return Generator(seed).normal({n, d});
    Tensor z = Tensor::empty({n, d});
    for (int64_t i = 0; i < n; ++i) Generator(seeds[i]).fill_normal(z.data() + i * d, d);
    return z;
}

Tensor Generator::uniform(const Shape& shape, float lo, float hi) {
    Tensor t = Tensor::empty(shape);
    fill_uniform(t.data(), t.numel());
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = lo + (hi - lo) * p[i];
    return t;
}

Tensor Generator::bernoulli(const Shape& shape, float prob) {
    if (!(prob >= 0.0f && prob <= 1.0f))
        throw std::invalid_argument("Generator::bernoulli: p must be in [0, 1], got " + std::to_string(prob));
    Tensor t = Tensor::empty(shape);
    fill_uniform(t.data(), t.numel());
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = p[i] < prob ? 1.0f : 0.0f;
    return t;
}

std::vector<int64_t> Generator::categorical(const Tensor& probs) {
    if (probs.dim() != 2 || probs.size(1) < 1)
        shape_error("Generator::categorical: expected probs [rows, k], got " + probs.shape_str());
    const int64_t rows = probs.size(0), k = probs.size(1);
    std::vector<float> u(rows);
    fill_uniform(u.data(), rows);
    std::vector<int64_t> out(rows);
    const float* p = probs.data();
    for (int64_t r = 0; r < rows; ++r) {
        double total = 0;
        for (int64_t j = 0; j < k; ++j) {
            if (!(p[r * k + j] >= 0.0f))
                throw std::invalid_argument("Generator::categorical: probs[" + std::to_string(r) + "," + std::to_string(j) +
                                            "] is negative or NaN");
            total += p[r * k + j];
        }
        if (total <= 0) throw std::invalid_argument("Generator::categorical: row " + std::to_string(r) + " sums to 0");
        double target = u[r] * total, acc = 0;
        int64_t pick = k - 1;
        for (int64_t j = 0; j < k; ++j) {
            acc += p[r * k + j];
            if (target < acc) { pick = j; break; }
        }
        out[r] = pick;
    }
    return out;
}

}  // namespace genhost::engine
