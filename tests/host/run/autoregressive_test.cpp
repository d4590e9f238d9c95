// The host's pixel loop, completion and exact likelihood, through the genhost program with
// the test plugin counter-ar (tests/plugins/good/test_models.cpp), whose answer is known.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "image/png.hpp"
#include "support/genhost_run.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using genhost::testing::run::kGenhost;
using genhost::testing::run::run_genhost;

namespace {

fs::path pipeline(const std::string& name, const std::string& text) {
    fs::path d = genhost::testing::fresh_scratch_dir("autoregressive/" + name);
    std::ofstream(d / "p.yaml") << text;
    return d;
}

std::vector<float> npy_floats(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t header = 10 + (uint8_t(b[8]) | (uint8_t(b[9]) << 8));
    std::vector<float> v((b.size() - header) / 4);
    std::memcpy(v.data(), b.data() + header, v.size() * 4);
    return v;
}

}  // namespace

TEST_CASE("the pixel loop samples in raster order, and temperature 0 takes the most likely level", "[run][autoregressive]") {
    for (const char* at : {"true", "false"}) {
        INFO("logits_at " << at);
        auto d = pipeline(std::string("counter_") + at,
                          "model: {plugin: counter-ar, params: {levels: 4, size: 3, channels: 3, logits_at: " +
                              std::string(at) + "}}\ndata: {range: [-1, 1]}\nsample: {count: 2, temperature: 0}\n");
        auto r = run_genhost("run " + (d / "p.yaml").string() + " --output " + (d / "out").string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        auto v = npy_floats(d / "out" / "samples.npy");
        REQUIRE(v.size() == 2 * 3 * 3 * 3);
        // Raster position p = (y * W + x) * C + c holds level (p + 1) % 4, element (c, y, x).
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t p = 0; p < 27; ++p) {
                const int64_t c = p % 3, x = (p / 3) % 3, y = p / 9;
                const float level = float((p + 1) % 4);
                CHECK(v[size_t(i * 27 + (c * 3 + y) * 3 + x)] == Approx(-1.0f + 2.0f * level / 3.0f));
            }
    }
}

TEST_CASE("an image depends on its seed, not on sample.batch_size", "[run][autoregressive]") {
    auto d = pipeline("seeds", "model: {plugin: counter-ar, params: {levels: 16, size: 4, peak: 0}}\nsample: {count: 5}\n");
    std::vector<std::vector<float>> results;
    for (int b : {1, 2, 5}) {
        const fs::path out = d / ("b" + std::to_string(b));
        auto r = run_genhost("run " + (d / "p.yaml").string() + " --set sample.batch_size=" + std::to_string(b) +
                             " --output " + out.string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        results.push_back(npy_floats(out / "samples.npy"));
    }
    CHECK(results[0] == results[1]);
    CHECK(results[0] == results[2]);
    // Uniform logits: the images differ from each other.
    CHECK(!std::equal(results[0].begin(), results[0].begin() + 16, results[0].begin() + 16));
}

TEST_CASE("labels reach the model", "[run][autoregressive]") {
    auto d = pipeline("labels", "model: {plugin: counter-ar, params: {levels: 4, size: 2, num_classes: 3}}\n"
                                "sample: {count: 2, labels: [2, 0], temperature: 0}\n");
    auto r = run_genhost("run " + (d / "p.yaml").string() + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto v = npy_floats(d / "out" / "samples.npy");
    // Label 2: level (prev + 3) % 4 from prev 0: 3, 2, 1, 0. Label 0: 1, 2, 3, 0.
    const std::vector<float> expect = {3, 2, 1, 0, 1, 2, 3, 0};
    for (size_t i = 0; i < 8; ++i) CHECK(v[i] * 3.0f == Approx(expect[i]));
}

TEST_CASE("complete keeps the known pixels and samples the rest", "[run][autoregressive][complete]") {
    auto d = pipeline("complete", "model: {plugin: counter-ar, params: {levels: 256, size: 8}}\n"
                                  "data: {dataset: shapes, image_size: 8}\n"
                                  "complete: {count: 2, mask: bottom, samples: 2, columns: 2}\n"
                                  "sample: {temperature: 0, grid: {scale: 1}}\n");
    auto r = run_genhost("run " + (d / "p.yaml").string() + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto png = genhost::image::read_png((d / "out" / "completion.png").string());
    REQUIRE(png.width == 2 * 10 + 2);
    REQUIRE(png.height == 4 * 10 + 2);  // masked input, 2 completions, original
    auto at = [&](int row, int col, int y, int x) { return int(png.samples[(2 + row * 10 + y) * png.width + 2 + col * 10 + x]); };
    for (int col = 0; col < 2; ++col)
        for (int x = 0; x < 8; ++x) {
            for (int y = 0; y < 4; ++y)
                for (int row : {0, 1, 2}) CHECK(at(row, col, y, x) == at(3, col, y, x));  // known: the original
            CHECK(at(0, col, 6, x) == 128);  // the region to sample, shown gray
            // Sampled at temperature 0: the counter continues from the pixel before.
            CHECK(at(1, col, 5, x) == (at(1, col, 5, x - 1 < 0 ? 0 : x - 1) + (x == 0 ? 0 : 1)) % 256);
        }
}

TEST_CASE("the likelihood report of an autoregressive model is exact, from its logits", "[run][autoregressive]") {
    // Uniform logits over 4 levels: log p(x) = -D ln 4 exactly, 2 bits/dim.
    auto d = pipeline("likelihood", "model: {plugin: counter-ar, params: {levels: 4, size: 8, peak: 0}}\n"
                                    "data: {dataset: shapes, image_size: 8}\n"
                                    "evaluate: {likelihood: {count: 10}}\n");
    auto r = run_genhost("run " + (d / "p.yaml").string() + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    std::ifstream in(d / "out" / "metrics.json");
    const auto m = nlohmann::json::parse(in)["likelihood"];
    CHECK(m["kind"] == "exact, discrete");
    CHECK(m["images"] == 10);
    CHECK(m["bits_per_dim"].get<double>() == Approx(2.0));
    CHECK(m["nll_nats"].get<double>() == Approx(64 * std::log(4.0)));
}

TEST_CASE("autoregressive options are refused where they do not apply", "[run][autoregressive]") {
    auto d = pipeline("refused", "model: {plugin: oracle-denoiser}\nscheduler: {plugin: ddpm}\n"
                                 "sample: {count: 1, temperature: 0.5}\ncomplete: {count: 1}\n");
    auto r = run_genhost("validate " + (d / "p.yaml").string());
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Catch::Contains("sample.temperature") && Catch::Contains("autoregressive"));
    CHECK_THAT(r.output, Catch::Contains("complete") && Catch::Contains("not autoregressive"));
    auto d2 = pipeline("diffusion_keys", "model: {plugin: counter-ar}\nsample: {count: 1, steps: 10}\n");
    auto r2 = run_genhost("validate " + (d2 / "p.yaml").string());
    CHECK(r2.code != 0);
    CHECK_THAT(r2.output, Catch::Contains("pixel by pixel"));
}

// The pixelcnn plugin's logits_at caches activations between the loop's calls (it relies on
// the ABI's order: every position, from 0); its window alone must give the same images, in
// sampling and in completion, for the plain network on colour images, the residual one and
// the conditional gated one.
TEST_CASE("pixelcnn samples and completes the same images with its cache as without", "[run][autoregressive][complete]") {
    auto bytes = [](const fs::path& f) {
        std::ifstream in(f, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    // Colour images: 16 random ones, [16, 3, 8, 8] uint8, as np.save writes them.
    const fs::path colour = genhost::testing::fresh_scratch_dir("autoregressive/cache-data") / "colour.npy";
    {
        std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (16, 3, 8, 8), }";
        header.resize(117, ' ');
        header += '\n';
        std::ofstream f(colour, std::ios::binary);
        f << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff) << char(header.size() >> 8) << header;
        for (int i = 0; i < 16 * 3 * 64; ++i) f << char((i * 97 + i / 7 * 31) & 0xff);
    }
    const std::vector<std::pair<std::string, std::string>> models = {
        {"plain-colour", "{plugin: pixelcnn, params: {levels: 16, channels: 12, output_channels: 12, layers: 2}}\n"
                         "data: {dataset: npy, images: " + colour.string() + "}\n"},
        {"residual", "{plugin: pixelcnn, params: {levels: 16, channels: 8, output_channels: 8, layers: 2, "
                     "block: residual}}\ndata: {dataset: shapes, image_size: 8, size: 64}\n"},
        {"gated", "{plugin: gated_pixelcnn, params: {levels: 16, channels: 8, output_channels: 8, layers: 3, "
                  "first_kernel: 5, conditional: true}}\ndata: {dataset: shapes, image_size: 8, size: 64}\n"}};
    for (const auto& [name, model] : models) {
        INFO(name);
        std::string out[2];
        for (int cache = 0; cache < 2; ++cache) {
            auto d = pipeline("cache-" + name + std::to_string(cache),
                              "model: " + model + "sample: {count: 3, grid: {scale: 1}}\n" +
                                  "complete: {count: 2, mask: bottom, samples: 2, columns: 2}\n");
            auto r = run_genhost("run " + (d / "p.yaml").string() + " --output " + (d / "out").string() +
                                 " --set model.params.sample_cache=" + (cache ? "true" : "false"));
            INFO(r.output);
            REQUIRE(r.code == 0);
            out[cache] = bytes(d / "out" / "samples.npy") + bytes(d / "out" / "completion.png");
            REQUIRE(out[cache].size() > 3 * 8 * 8);
        }
        CHECK(out[0] == out[1]);
    }
}
