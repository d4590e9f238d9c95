// A third-party plugin: a "model" that draws uniform noise images. It is the starting
// template of docs/plugin-guide.md: one class, its info, its params, its capability.
#include <algorithm>

#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/random.hpp>

class Noise : public genhost::Generator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL,
                "com.example.noise",
                "Uniform noise",
                "1.0.0",
                "Example Inc.",
                "Draws images of uniform noise in the data range; a template to start from.",
                {"example", "generator"},
                genhost::ParamSchema()
                    .integer("size", 28, "image height and width", 1, 1024)
                    .integer("channels", 1, "1 for gray, 3 for RGB", 1, 4)};
    }

    explicit Noise(const genhost::Context& context)
        : size_(context.params.integer("size")), channels_(context.params.integer("channels")),
          low_(context.data.range_min), high_(context.data.range_max) {}

    std::array<int64_t, 3> sample_shape() const override { return {channels_, size_, size_}; }

    void generate(const genhost::SampleRequest& request, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, channels_, size_, size_}, "samples");
        // The engine's generator gives the same numbers on every machine and thread count
        // (std::uniform_real_distribution differs between standard libraries). Sample i
        // from its own seed when the host sends them (ABI 1.1): then it does not depend on
        // how the host batches samples.
        const int64_t n = out.dim(0), per_sample = channels_ * size_ * size_;
        for (int64_t i = 0; i < n; ++i) {
            genhost::engine::Generator rng(request.seeds ? request.seeds->data()[i] : request.seed + uint64_t(i));
            genhost::engine::Tensor u = rng.uniform({per_sample}, low_, high_);
            std::copy(u.data(), u.data() + per_sample, out.data() + i * per_sample);
        }
    }

private:
    int64_t size_, channels_;
    float low_, high_;
};

GENHOST_PLUGINS(Noise);
