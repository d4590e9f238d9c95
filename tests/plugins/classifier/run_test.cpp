// The plugin through the genhost program, as a user runs it: a judge trained on `shapes`
// learns within seconds, and a pipeline on unlabelled data stops with the plugin's reason.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

genhost::testing::CommandResult run_pipeline(const fs::path& dir, const std::string& yaml) {
    std::ofstream(dir / "p.yaml") << yaml;
    return genhost::testing::run_command(genhost::testing::genhost_program() + " run " + (dir / "p.yaml").string() +
                                         " --output " + (dir / "out").string() + " --quiet");
}

// The values of one column of a CSV file with a header row.
std::vector<double> column(const fs::path& csv, const std::string& name) {
    std::ifstream in(csv);
    std::string line, cell;
    std::getline(in, line);
    std::istringstream header(line);
    int index = -1;
    for (int i = 0; std::getline(header, cell, ','); ++i)
        if (cell == name) index = i;
    std::vector<double> values;
    while (index >= 0 && std::getline(in, line)) {
        std::istringstream row(line);
        for (int i = 0; std::getline(row, cell, ','); ++i)
            if (i == index) values.push_back(std::stod(cell));
    }
    return values;
}

// A .npy file (format 1.0) of `n` float32 images [n, 1, 8, 8], all zero: data without labels.
void write_unlabelled_npy(const fs::path& file, int n) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(n) + ", 1, 8, 8), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    std::ofstream out(file, std::ios::binary);
    const uint16_t length = static_cast<uint16_t>(header.size());
    out << "\x93NUMPY" << '\x01' << '\x00';
    out.put(static_cast<char>(length & 0xff)).put(static_cast<char>(length >> 8));
    out << header << std::string(static_cast<size_t>(n) * 64 * sizeof(float), '\0');
}

}  // namespace

TEST_CASE("genhost run trains a judge on shapes: the batch accuracy climbs far above chance", "[classifier]") {
    fs::path d = genhost::testing::fresh_scratch_dir("classifier/shapes");
    auto r = run_pipeline(d, "seed: 1\nthreads: 1\n"
                             "data: {dataset: shapes, size: 640, image_size: 16, batch_size: 32}\n"
                             "model: {plugin: classifier, params: {conv_channels: [8, 16], feature_dim: 32}}\n"
                             "train: {epochs: 8, log_every: 20, checkpoint_every: 0, "
                             "optimizer: {type: adam, lr: 0.003}}\n");
    INFO(r.output);
    REQUIRE(r.code == 0);
    const auto accuracy = column(d / "out" / "train_log.csv", "train.accuracy");
    REQUIRE(accuracy.size() == 8);
    INFO("batch accuracy, first and last rows: " << accuracy.front() << ", " << accuracy.back());
    CHECK(accuracy.back() >= 0.6);  // chance is 1/5
    CHECK(fs::exists(d / "out" / "checkpoint.safetensors"));
}

TEST_CASE("genhost run with unlabelled data says the classifier needs labels", "[classifier]") {
    fs::path d = genhost::testing::fresh_scratch_dir("classifier/unlabelled");
    write_unlabelled_npy(d / "images.npy", 4);
    auto r = run_pipeline(d, "data: {dataset: npy, images: " + (d / "images.npy").string() + ", batch_size: 2}\n"
                             "model: {plugin: classifier}\n"
                             "train: {steps: 1}\n");
    INFO(r.output);
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Catch::Contains("the classifier needs labelled data (data.num_classes = 0)"));
}
