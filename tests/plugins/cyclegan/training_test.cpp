// A tiny CycleGAN trained through the genhost program on the synthetic shapes split into
// two domains (squares and circles), in seconds: both phases log their losses, the cycle
// loss falls, the learning rate decays linearly to 0, and translate writes both grids; a
// resumed run continues both domains' batches where they were.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/genhost_run.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> csv(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> row;
        std::stringstream s(line);
        for (std::string cell; std::getline(s, cell, ',');) row.push_back(cell);
        rows.push_back(row);
    }
    return rows;
}

size_t column(const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<size_t>(it - header.begin());
}

}  // namespace

TEST_CASE("a tiny CycleGAN trains on two domains of shapes and translates both ways", "[cyclegan][training]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("cyclegan/train-shapes");
    std::ofstream(d / "p.yaml")
        << "seed: 1\n"
           "data:\n"
           "  dataset: shapes\n"
           "  size: 400\n"
           "  image_size: 12\n"
           "  batch_size: 8\n"
           "  range: [-1, 1]\n"
           "  domains: {a: {classes: [1]}, b: {classes: [0]}}\n"
           "model:\n"
           "  plugin: cyclegan\n"
           "  params: {ngf: 4, residual_blocks: 1, ndf: 4, discriminator_layers: 1, pool_size: 10}\n"
           "train:\n"
           "  steps: 80\n"
           "  optimizer: {type: adam, lr: 0.002, betas: [0.5, 0.999]}\n"
           "  lr_schedule: {type: linear_decay, constant_steps: 40}\n"
           "  log_every: 20\n"
           "translate: {count: 6, columns: 3}\n";
    auto r = genhost::testing::run_command(std::string(GENHOST_BINARY_DIR) + "/bin/genhost run " + (d / "p.yaml").string() +
                                           " --threads 1 --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("data, domain a: shapes") && Catch::Contains("data, domain b: shapes"));
    const auto rows = csv(d / "out" / "train_log.csv");
    REQUIRE(rows.size() == 5);  // header and steps 20, 40, 60, 80
    const auto& h = rows[0];
    for (const char* name : {"generators.loss", "generators.gan_a_to_b", "generators.gan_b_to_a", "generators.cycle",
                             "generators.identity", "discriminators.loss", "discriminators.d_a", "discriminators.d_b",
                             "lr.generators", "lr.discriminators"})
        column(h, name);
    const size_t cycle = column(h, "generators.cycle"), lr = column(h, "lr.generators");
    CHECK(std::stod(rows[4][cycle]) < std::stod(rows[1][cycle]));
    CHECK(std::stod(rows[1][lr]) == Approx(0.002));  // constant for 40 steps ...
    CHECK(std::stod(rows[3][lr]) == Approx(0.002 * (1 - 19.0 / 40)));  // ... then linearly down (the lr of step 60)
    for (const char* file : {"translate_a_to_b.png", "translate_b_to_a.png"}) {
        INFO(file);
        CHECK(fs::file_size(d / "out" / file) > 100);
    }
}

TEST_CASE("with two domains, N steps then --resume for N more equals 2N straight steps", "[cyclegan][resume]") {
    // pool_size 0: the pools are not in checkpoints, so only then is a resumed run exact.
    // Domain a (squares) has half as many images as b (circles and triangles): after 7
    // steps a has drawn 14 batches (epoch 1, batch 4), b the same 14 (epoch 0, batch 14).
    const std::string yaml = "seed: 3\n"
                             "data:\n"
                             "  dataset: shapes\n"
                             "  size: 100\n"
                             "  image_size: 8\n"
                             "  batch_size: 2\n"
                             "  range: [-1, 1]\n"
                             "  domains: {a: {classes: [1]}, b: {classes: [0, 2]}}\n"
                             "model:\n"
                             "  plugin: cyclegan\n"
                             "  params: {ngf: 2, residual_blocks: 1, ndf: 2, discriminator_layers: 1, pool_size: 0}\n"
                             "train: {steps: 14, optimizer: {type: adam, lr: 0.01}, log_every: 7}\n";
    const std::string genhost = std::string(GENHOST_BINARY_DIR) + "/bin/genhost run ";
    const fs::path straight = genhost::testing::fresh_scratch_dir("cyclegan/resume-straight");
    const fs::path split = genhost::testing::fresh_scratch_dir("cyclegan/resume-split");
    for (const fs::path& d : {straight, split}) std::ofstream(d / "p.yaml") << yaml;
    auto r = genhost::testing::run_command(genhost + (straight / "p.yaml").string() + " --threads 1 --output " +
                                           (straight / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    r = genhost::testing::run_command(genhost + (split / "p.yaml").string() + " --threads 1 --set train.steps=7 --output " +
                                      (split / "out").string());
    REQUIRE(r.code == 0);
    r = genhost::testing::run_command(genhost + (split / "p.yaml").string() + " --threads 1 --resume --output " +
                                      (split / "out").string());
    REQUIRE(r.code == 0);
    CHECK(genhost::testing::run::tensors(straight / "out" / "checkpoint.safetensors") ==
          genhost::testing::run::tensors(split / "out" / "checkpoint.safetensors"));
}
