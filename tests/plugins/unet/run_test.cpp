// The plugin through the genhost program, as a user runs it: train on `shapes`, sample
// with DDPM, then with DDIM from the checkpoint without a rebuild.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kGenhost = std::string(GENHOST_BINARY_DIR) + "/bin/genhost";

struct Result {
    int code;
    std::string output;
};

Result run_genhost(const std::string& args, const std::string& env = "") {
    FILE* pipe = popen((env + " " + kGenhost + " " + args + " --quiet 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

fs::path fresh_dir(const std::string& name) {
    return genhost::testing::fresh_scratch_dir("unet/" + name);
}

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A 12x12 U-Net small enough to train a few steps in a fraction of a second.
std::string tiny_pipeline(const std::string& model_params, const std::string& scheduler_params = "{}",
                          int steps = 4, bool sample = true) {
    return "seed: 1\nthreads: 1\n"
           "data: {dataset: shapes, size: 128, batch_size: 16, image_size: 12, range: [-1, 1]}\n"
           "model: {plugin: unet, params: {base_channels: 8, channel_mult: [1, 2], attention_resolutions: [6], "
           "attention_head_dim: 8, norm_num_groups: 4" + model_params + "}}\n"
           "scheduler: {plugin: ddpm, params: " + scheduler_params + "}\n"
           "train: {steps: " + std::to_string(steps) + ", log_every: 10, checkpoint_every: 0, "
           "optimizer: {type: adam, lr: 0.003}}\n"
           + (sample ? "sample: {count: 4, steps: 5}\n" : "");
}

fs::path write_pipeline(const fs::path& dir, const std::string& text) {
    std::ofstream(dir / "p.yaml") << text;
    return dir / "p.yaml";
}

// The shape in a .npy header, e.g. "(4, 1, 12, 12)".
std::string npy_shape(const fs::path& file) {
    std::string s = read(file);
    auto at = s.find("'shape': ");
    if (at == std::string::npos) return "";
    return s.substr(at + 9, s.find(')', at) - at - 8);
}

std::vector<double> column(const fs::path& csv, const std::string& name) {
    std::istringstream in(read(csv));
    std::string line, cell;
    std::getline(in, line);
    std::istringstream header(line);
    int index = -1;
    for (int i = 0; std::getline(header, cell, ','); ++i)
        if (cell == name) index = i;
    std::vector<double> values;
    while (std::getline(in, line)) {
        std::istringstream row(line);
        for (int i = 0; std::getline(row, cell, ','); ++i)
            if (i == index) values.push_back(std::stod(cell));
    }
    return values;
}

}  // namespace

TEST_CASE("each prediction type trains and samples images of the data's shape", "[unet]") {
    for (const std::string type : {"epsilon", "v_prediction", "sample"}) {
        INFO(type);
        fs::path d = fresh_dir("prediction-" + type);
        auto p = write_pipeline(d, tiny_pipeline(", prediction_type: " + type + ", snr_gamma: 5",
                                                 "{prediction_type: " + type + "}"));
        Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        CHECK(npy_shape(d / "out" / "samples.npy") == "(4, 1, 12, 12)");
        CHECK(fs::exists(d / "out" / "samples.png"));
    }
}

TEST_CASE("a few training steps on shapes lower the loss", "[unet]") {
    fs::path d = fresh_dir("loss");
    auto p = write_pipeline(d, tiny_pipeline("", "{}", 60, false));
    Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    auto loss = column(d / "out" / "train_log.csv", "train.loss");
    REQUIRE(loss.size() == 6);
    CHECK(loss.back() < 0.6 * loss.front());
}

TEST_CASE("a misspelled GENHOST_ENGINE_ISA is a clear error, not an abort", "[unet]") {
    fs::path d = fresh_dir("isa");
    auto p = write_pipeline(d, tiny_pipeline(""));
    Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string(), "GENHOST_ENGINE_ISA=avx3");
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("GENHOST_ENGINE_ISA=avx3: expected generic, avx2 or avx512"));
    Result ok = run_genhost("run " + p.string() + " --output " + (d / "ok").string(), "GENHOST_ENGINE_ISA=generic");
    INFO(ok.output);
    CHECK(ok.code == 0);
}

TEST_CASE("an image does not depend on sample.batch_size, for stochastic samplers too", "[unet]") {
    // Per-sample seeds (ABI 1.1): the starting noise and every step's noise of image k come
    // from image k's own seed, so batching 5 images as 2+2+1 or 5 gives the same images.
    for (const char* scheduler : {"ddpm", "euler-ancestral"}) {
        std::string samples[2];
        int i = 0;
        for (const char* batch : {"2", "5"}) {
            fs::path d = fresh_dir(std::string("batch-") + scheduler + batch);
            auto p = write_pipeline(d, tiny_pipeline("", "{}", 2, false) + "sample: {count: 5, steps: 4, batch_size: " +
                                           batch + ", scheduler: {plugin: " + scheduler + "}}\n");
            Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string());
            INFO(scheduler << " batch_size " << batch << "\n" << r.output);
            REQUIRE(r.code == 0);
            samples[i++] = read(d / "out" / "samples.npy");
        }
        INFO(scheduler);
        CHECK(samples[0] == samples[1]);
    }
}

TEST_CASE("a run is repeatable: same seed, same samples", "[unet]") {
    std::string samples[2];
    for (int i = 0; i < 2; ++i) {
        fs::path d = fresh_dir("repeat" + std::to_string(i));
        auto p = write_pipeline(d, tiny_pipeline(", dropout: 0.1"));
        Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        samples[i] = read(d / "out" / "samples.npy");
    }
    CHECK(!samples[0].empty());
    CHECK(samples[0] == samples[1]);
}

TEST_CASE("train and sample with ddpm, then sample the checkpoint with ddim by a set option", "[unet]") {
    fs::path d = fresh_dir("ddpm-ddim");
    auto p = write_pipeline(d, tiny_pipeline("", "{num_inference_steps: 20}", 6));
    Result train = run_genhost("run " + p.string() + " --output " + (d / "train").string());
    INFO(train.output);
    REQUIRE(train.code == 0);
    REQUIRE(fs::exists(d / "train" / "checkpoint.safetensors"));

    std::ofstream(d / "sample.yaml") << "seed: 2\nthreads: 1\n"
                                        "model: {plugin: unet, checkpoint: " << (d / "train" / "checkpoint.safetensors").string()
                                     << ", params: "
                                        "{base_channels: 8, channel_mult: [1, 2], attention_resolutions: [6], "
                                        "attention_head_dim: 8, norm_num_groups: 4}}\n"
                                        "scheduler: {plugin: ddpm}\n"
                                        "sample: {count: 4}\n";
    Result ddim = run_genhost("run " + (d / "sample.yaml").string() + " --output " + (d / "ddim").string() +
                          " --set sample.scheduler.plugin=ddim --set sample.scheduler.params.num_inference_steps=10");
    INFO(ddim.output);
    REQUIRE(ddim.code == 0);
    CHECK(npy_shape(d / "ddim" / "samples.npy") == "(4, 1, 12, 12)");
    CHECK(read(d / "ddim" / "pipeline.resolved.yaml").find("ddim") != std::string::npos);
}

TEST_CASE("a class-conditional model samples with classifier-free guidance", "[unet]") {
    fs::path d = fresh_dir("guidance");
    auto p = write_pipeline(d, tiny_pipeline(", num_class_embeds: 5, cond_drop_prob: 0.2"));
    Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string() +
                       " --set sample.guidance_scale=3 --set sample.labels=[0,4]");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(npy_shape(d / "out" / "samples.npy") == "(4, 1, 12, 12)");
}

TEST_CASE("too few class embeddings for the data is refused with the fix", "[unet]") {
    fs::path d = fresh_dir("classes");
    auto p = write_pipeline(d, tiny_pipeline(", num_class_embeds: 3"));
    Result r = run_genhost("run " + p.string() + " --output " + (d / "out").string());
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Catch::Contains("set num_class_embeds: 5"));
}
