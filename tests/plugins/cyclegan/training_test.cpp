// A tiny CycleGAN trained through the genhost program on the synthetic shapes split into
// two domains (squares and circles), in seconds: both phases log their losses, the cycle
// loss falls, the learning rate decays linearly to 0, and translate writes both grids.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

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
