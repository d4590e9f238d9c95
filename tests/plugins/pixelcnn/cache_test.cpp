// The sampling cache (plugins/pixelcnn/cache.hpp) against the full pass: a simulated
// sampling run (position by position, the image changing only at the position just
// sampled) gives the full pass's logits at every position of every variant, cached; and
// calls out of order (a restart, a new batch, new labels, a skipped position, a jump, an
// earlier position changed) stay exact, from the cache or from the window.
#include <catch2/catch.hpp>

#include <cmath>

#include "cache.hpp"
#include "networks.hpp"

using namespace pixelcnn_test;
using genhost::engine::Generator;
using genhost::engine::Tensor;

namespace {

// A run over n images: random final levels, the full pass's logits of them, and the
// network input of the image as sampling sees it (known up to the current position).
struct Run {
    const Variant& v;
    int64_t n, C, H, W, L, per;
    std::vector<float> final_values, current;
    Tensor full;  // [n, L, C, H, W] of the final image
    std::vector<int64_t> labels;

    Run(const Variant& variant, int64_t images, uint64_t seed)
        : v(variant), n(images), C(v.image.channels), H(v.image.height), W(v.image.width), L(v.image.levels),
          per(C * H * W) {
        Generator g(seed);
        Tensor u = g.uniform({n * per});
        for (int64_t i = 0; i < n * per; ++i)
            final_values.push_back(std::floor(u.data()[i] * float(L)) / float(L - 1));
        current.assign(final_values.size(), 0.0f);
        for (int64_t i = 0; i < n; ++i) labels.push_back(v.labels.empty() ? -1 : (v.labels[0] + i) % v.image.classes);
        if (v.labels.empty()) labels.clear();
        genhost::engine::NoGradGuard ng;
        full = (*v.net)(Tensor::from_vector({n, C, H, W}, final_values), labels);
    }
    int64_t element(int64_t i, int64_t p) const {
        const int64_t c = p % C, x = (p / C) % W, y = p / (C * W);
        return i * per + (c * H + y) * W + x;
    }
    Tensor input() const { return Tensor::from_vector({n, C, H, W}, current); }
    void sample(int64_t p) {
        for (int64_t i = 0; i < n; ++i) current[size_t(element(i, p))] = final_values[size_t(element(i, p))];
    }
    // The largest difference between `got` [n, L] and the full pass at position p.
    double error(const Tensor& got, int64_t p) const {
        double worst = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t l = 0; l < L; ++l) {
                const float want = full.data()[(i * L + l) * per + element(0, p)];
                worst = std::max(worst, double(std::abs(got.data()[i * L + l] - want)));
            }
        return worst;
    }
};

constexpr double kTolerance = 1e-4;

void check_run(const Variant& v) {
    genhost::engine::NoGradGuard ng;
    pixelcnn::CachedLogits cache(*v.net, v.image);
    for (uint64_t seed : {1, 2}) {  // the second run restarts at position 0 on the same cache
        Run run(v, 2, seed);
        for (int64_t p = 0; p < run.per; ++p) {
            Tensor l = cache(run.input(), run.labels, p);
            INFO(v.name << ", run " << seed << ", position " << p);
            REQUIRE(cache.last_cached());
            REQUIRE(run.error(l, p) < kTolerance);
            run.sample(p);
        }
    }
}

}  // namespace

TEST_CASE("cached sampling gives the full pass's logits at every position", "[pixelcnn][cache]") {
    check_run(plain(1, false));
    check_run(plain(1, true));
    check_run(gated(false));
    check_run(gated(true));
    check_run(gated(false, 4, 9, 3, true));
}

TEST_CASE("cached sampling of colour images (channel groups)", "[pixelcnn][cache]") {
    check_run(plain(3, false, 4, 6, 2));
    check_run(plain(3, true, 4, 6, 2));
}

TEST_CASE("cached sampling with an embedded input (several channels per position)", "[pixelcnn][cache]") {
    genhost::engine::NoGradGuard ng;
    Variant v;
    v.name = "gated pixelcnn, embedded input";
    v.image = {1, 7, 7, 16, 0};
    pixelcnn::GatedConfig c;
    c.image = v.image, c.channels = 8, c.layers = 3, c.first_kernel = 5, c.kernel = 3, c.output_channels = 8;
    c.input_channels = 3;
    Generator init(11);
    v.net = std::make_unique<pixelcnn::GatedPixelCnn>(*v.params, c, init);
    // Three numbers per position (as an embedding gives), set position by position.
    Tensor final_input = Generator(4).uniform({2, 3, 7, 7});
    Tensor full = (*v.net)(final_input, {});
    Tensor current = Tensor::zeros({2, 3, 7, 7});
    pixelcnn::CachedLogits cache(*v.net, v.image);
    for (int64_t p = 0; p < 49; ++p) {
        Tensor l = cache(current.clone(), {}, p);
        REQUIRE(cache.last_cached());
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t k = 0; k < 16; ++k)
                REQUIRE(std::abs(l.data()[i * 16 + k] - full.data()[(i * 16 + k) * 49 + p]) < kTolerance);
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t e = 0; e < 3; ++e) current.data()[(i * 3 + e) * 49 + p] = final_input.data()[(i * 3 + e) * 49 + p];
    }
}

TEST_CASE("calls out of order stay exact", "[pixelcnn][cache]") {
    genhost::engine::NoGradGuard ng;
    std::vector<Variant> variants;
    variants.push_back(plain(1, false));
    variants.push_back(plain(3, true, 4, 6, 2));
    variants.push_back(gated(true));
    variants.push_back(gated(true, 4, 9, 3, true));  // the window must know where it lies
    for (const Variant& v : variants) {
        INFO(v.name);
        pixelcnn::CachedLogits cache(*v.net, v.image);
        Run run(v, 2, 5);
        const int64_t W = run.W, C = run.C;
        // Half a run, then a skipped position (caught up from the cache).
        int64_t p = 0;
        for (; p < run.per / 2; ++p) {
            CHECK(run.error(cache(run.input(), run.labels, p), p) < kTolerance);
            run.sample(p);
        }
        run.sample(p++);
        CHECK(run.error(cache(run.input(), run.labels, p), p) < kTolerance);
        CHECK(cache.last_cached());
        run.sample(p);
        // An earlier position changes (and changes back): the pixels after it are recomputed.
        const int64_t back = C * (W + 1);
        run.current[size_t(run.element(0, back))] = 1.0f;
        Tensor changed = (*v.net)(run.input(), run.labels);
        run.current[size_t(run.element(0, back))] = run.final_values[size_t(run.element(0, back))];
        {
            Run other = run;
            other.current[size_t(other.element(0, back))] = 1.0f;
            other.full = changed;
            CHECK(other.error(cache(other.input(), other.labels, back + 1), back + 1) < kTolerance);
        }
        // A jump far ahead (every position known): answered from the window.
        run.current = run.final_values;
        const int64_t last = run.per - 1;
        CHECK(run.error(cache(run.input(), run.labels, last), last) < kTolerance);
        CHECK_FALSE(cache.last_cached());
        // ... and to the last row's second pixel: a window whose corner is at (H - 1 - R, 0),
        // rows and columns offset differently (a position map must not mix them up).
        const int64_t corner = ((run.H - 1) * W + 1) * C;
        CHECK(run.error(cache(run.input(), run.labels, corner), corner) < kTolerance);
        CHECK_FALSE(cache.last_cached());
        // ... and back to consecutive calls: caught up from the changed position.
        for (int64_t q = back + 1; q < back + 1 + W; ++q) {
            CHECK(run.error(cache(run.input(), run.labels, q), q) < kTolerance);
            CHECK(cache.last_cached());
        }
        // A new batch of another size, then other labels, each from position 0.
        Run three(v, 3, 6);
        for (int64_t q = 0; q < 2 * W * C; ++q) {
            CHECK(three.error(cache(three.input(), three.labels, q), q) < kTolerance);
            three.sample(q);
        }
        if (!three.labels.empty()) {
            for (auto& y : three.labels) y = (y + 1) % v.image.classes;
            three.full = (*v.net)(Tensor::from_vector({3, C, run.H, W}, three.final_values), three.labels);
            // Not from position 0: the new labels alone must drop the cache.
            const int64_t q = 2 * W * C;
            CHECK(three.error(cache(three.input(), three.labels, q), q) < kTolerance);
        }
    }
}
