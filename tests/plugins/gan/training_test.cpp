// A tiny GAN trained on the synthetic shapes through the genhost program, in seconds: the
// log has the losses that show how the game goes, and the samples are not one image.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

// The float32 data of an .npy file (format 1.0, little-endian).
std::vector<float> read_npy(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 10);
    const size_t header = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    std::vector<float> out((bytes.size() - 10 - header) / sizeof(float));
    std::memcpy(out.data(), bytes.data() + 10 + header, out.size() * sizeof(float));
    return out;
}

std::string first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// Mean over pixels of the standard deviation across samples: 0 when every sample is the same image.
double spread(const std::vector<float>& samples, size_t pixels) {
    const size_t n = samples.size() / pixels;
    double total = 0;
    for (size_t j = 0; j < pixels; ++j) {
        double s = 0, ss = 0;
        for (size_t i = 0; i < n; ++i) s += samples[i * pixels + j], ss += samples[i * pixels + j] * samples[i * pixels + j];
        const double m = s / n;
        total += std::sqrt(std::max(0.0, ss / n - m * m));
    }
    return total / pixels;
}

}  // namespace

TEST_CASE("an MLP GAN trained on shapes for seconds makes varied samples, and its log shows D(x) and D(G(z))",
          "[gan][training]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("gan/train-shapes");
    std::ofstream(d / "p.yaml") << "seed: 1\n"
                                   "data: {dataset: shapes, size: 512, batch_size: 32, image_size: 12, range: [-1, 1]}\n"
                                   "model:\n"
                                   "  plugin: gan\n"
                                   "  params: {latent_dim: 16, generator_hidden: [64, 128], discriminator_hidden: [128, 64]}\n"
                                   "train:\n"
                                   "  steps: 400\n"
                                   "  optimizer: {type: adam, lr: 0.001, betas: [0.5, 0.999]}\n"
                                   "  log_every: 100\n"
                                   "sample: {count: 64}\n";
    auto r = genhost::testing::run_command(std::string(GENHOST_BINARY_DIR) + "/bin/genhost run " + (d / "p.yaml").string() +
                                           " --threads 1 --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(first_line(d / "out" / "train_log.csv"),
               Catch::StartsWith("step,epoch,discriminator.loss,discriminator.d_real,discriminator.d_fake,"
                                 "generator.loss,generator.d_fake,"));
    const auto samples = read_npy(d / "out" / "samples.npy");
    REQUIRE(samples.size() == 64u * 144u);
    const double s = spread(samples, 144);
    INFO("mean per-pixel std across samples: " << s);
    CHECK(s > 0.08);  // samples in [-1, 1]; one repeated image gives 0
    double lit = 0;
    for (float v : samples) lit += v > 0 ? 1 : 0;
    lit /= static_cast<double>(samples.size());
    INFO("fraction of bright pixels: " << lit);
    CHECK(lit > 0.03);  // shapes on black: some pixels lit, not all
    CHECK(lit < 0.7);
}
