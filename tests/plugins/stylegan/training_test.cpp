// A tiny StyleGAN trained for a few steps on the synthetic shapes through the genhost
// program: the log has R1 and both phases, and the checkpoint holds the tracked average w.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "checkpoint/safetensors.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

TEST_CASE("a tiny StyleGAN trains on shapes, logs R1 and saves the tracked average w", "[stylegan][training]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("stylegan/train-shapes");
    std::ofstream(d / "p.yaml") << "seed: 3\n"
                                   "data: {dataset: shapes, size: 64, batch_size: 8, image_size: 28, range: [-1, 1]}\n"
                                   "model:\n"
                                   "  plugin: stylegan\n"
                                   "  params: {latent_dim: 8, w_dim: 8, mapping_layers: 2, generator_channels: [8, 8, 4],\n"
                                   "           discriminator_channels: [4, 8, 8], r1_gamma: 1, r1_every: 2}\n"
                                   "train:\n"
                                   "  steps: 4\n"
                                   "  optimizer: {type: adam, lr: 0.002, betas: [0, 0.99]}\n"
                                   "  log_every: 2\n"
                                   "sample: {count: 4}\n";
    auto r = genhost::testing::run_command(std::string(GENHOST_BINARY_DIR) + "/bin/genhost run " +
                                           (d / "p.yaml").string() + " --threads 1 --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    std::ifstream log(d / "out" / "train_log.csv");
    std::string header, row;
    std::getline(log, header);
    CHECK_THAT(header, Catch::StartsWith("step,epoch,discriminator.loss,discriminator.r1,discriminator.d_real,"
                                         "discriminator.d_fake,generator.loss,generator.d_fake,"));
    std::getline(log, row);
    const double r1 = std::stod(row.substr(row.find(',', row.find(',', row.find(',') + 1) + 1) + 1));
    CHECK(r1 > 0.0);  // computed at step 0

    auto c = genhost::checkpoint::Checkpoint::read((d / "out" / "checkpoint.safetensors").string());
    const float* w_avg = c.data<float>("model.generator.w_avg", {8});
    double norm = 0;
    for (int i = 0; i < 8; ++i) norm += w_avg[i] * w_avg[i];
    CHECK(norm > 0.0);  // moved from its zero start by the generator steps
}
