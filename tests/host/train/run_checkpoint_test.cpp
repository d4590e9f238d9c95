// A damaged or diverged checkpoint is refused when loaded, naming the file and what is
// wrong, for --resume and for model.checkpoint alike; the run never starts from it.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>

#include "checkpoint/safetensors.hpp"

#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
namespace ck = genhost::checkpoint;

namespace {

const std::string kPlugins = "--plugin-path " + std::string(GENHOST_BINARY_DIR) + "/tests/plugins/good";

genhost::testing::CommandResult run_genhost(const std::string& args) {
    return genhost::testing::run_command(genhost::testing::genhost_program() + " " + args + " " + kPlugins);
}

const char* const kTrain =
    "data: {dataset: shapes, size: 64, batch_size: 16, image_size: 8}\n"
    "model: {plugin: mean-image}\n"
    "train: {steps: 4, log_every: 2, checkpoint_every: 2}\n";

// Rewrites `file` with `edit` applied to each tensor's bytes (F32 and I64 only, as the
// trainer writes), keeping the metadata.
void rewrite(const fs::path& file, const std::function<void(const std::string&, std::string&)>& edit) {
    const auto c = ck::Checkpoint::read(file.string());
    std::vector<std::string> bytes;
    bytes.reserve(c.names().size());
    ck::Writer w;
    for (const auto& name : c.names()) {
        const auto& t = c.tensor(name);
        bytes.emplace_back(reinterpret_cast<const char*>(t.data), t.size_bytes);
        edit(name, bytes.back());
        w.add(name, t.dtype, t.shape, bytes.back().data(), bytes.back().size());
    }
    for (const auto& [k, v] : c.metadata()) w.set_metadata(k, v);
    w.write_atomic(file.string());
}

template <typename T>
void put(std::string& bytes, size_t index, T value) {
    std::memcpy(bytes.data() + index * sizeof(T), &value, sizeof(T));
}

fs::path trained(const std::string& name) {
    const fs::path d = genhost::testing::fresh_scratch_dir("train-checkpoint/" + name);
    std::ofstream(d / "p.yaml") << kTrain;
    const auto r = run_genhost("run " + (d / "p.yaml").string() + " --output " + (d / "out").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    return d;
}

std::string resume(const fs::path& d) {
    const auto r = run_genhost("run " + (d / "p.yaml").string() + " --resume --set train.steps=6 --output " +
                               (d / "out").string());
    CHECK(r.code == 1);
    return r.output;
}

}  // namespace

TEST_CASE("resume refuses a checkpoint whose trainer step or epoch no run could reach", "[train][checkpoint]") {
    const fs::path d = trained("position");
    const fs::path file = d / "out" / "checkpoint.safetensors";
    rewrite(file, [](const std::string& name, std::string& b) {
        if (name == "trainer.step") put<int64_t>(b, 0, -5);
    });
    CHECK_THAT(resume(d), Catch::Contains("checkpoint " + file.string() +
                                          ": trainer.step is -5, expected a count from 0 to 9007199254740992; the file "
                                          "is damaged or was not written by genhost's trainer"));
    rewrite(file, [](const std::string& name, std::string& b) {
        if (name == "trainer.step") put<int64_t>(b, 0, 4);
        if (name == "trainer.epoch") put<int64_t>(b, 0, 1000000000000);
    });
    CHECK_THAT(resume(d), Catch::Contains("checkpoint " + file.string() +
                                          ": trainer.epoch is 1000000000000 after 4 steps drawing at most 1 batch(es) each, "
                                          "which cannot reach it"));
    rewrite(file, [](const std::string& name, std::string& b) {
        if (name == "trainer.epoch") put<int64_t>(b, 0, 1);  // a reachable place: resumes
    });
    const auto r = run_genhost("run " + (d / "p.yaml").string() + " --resume --set train.steps=6 --output " +
                               (d / "out").string());
    INFO(r.output);
    CHECK(r.code == 0);
}

TEST_CASE("NaN or infinite weights are refused on load, naming the tensor", "[train][checkpoint]") {
    const fs::path d = trained("finite");
    const fs::path file = d / "out" / "checkpoint.safetensors";
    const fs::path copy = d / "copy.safetensors";
    fs::copy_file(file, copy);
    rewrite(file, [](const std::string& name, std::string& b) {
        if (name == "model.mean") put<float>(b, 3, std::numeric_limits<float>::quiet_NaN());
    });
    CHECK_THAT(resume(d), Catch::Contains("checkpoint " + file.string() +
                                          ": tensor 'model.mean' holds NaN at element 3 of 64; it cannot be loaded"));

    // Optimizer state too: a NaN moment would poison the next step.
    rewrite(copy, [](const std::string& name, std::string& b) {
        if (name.rfind("optimizer.", 0) == 0 && name.find("exp_avg_sq") != std::string::npos)
            put<float>(b, 0, -std::numeric_limits<float>::infinity());
    });
    fs::copy_file(copy, file, fs::copy_options::overwrite_existing);
    CHECK_THAT(resume(d), Catch::Contains("holds -infinity at element 0"));

    // model.checkpoint (sampling from trained weights) checks the same.
    rewrite(file, [](const std::string& name, std::string& b) {
        if (name == "model.mean") put<float>(b, 0, std::numeric_limits<float>::infinity());
    });
    std::ofstream(d / "s.yaml") << "model: {plugin: mean-image, checkpoint: " << copy.string() << "}\nsample: {count: 2}\n";
    rewrite(copy, [](const std::string& name, std::string& b) {
        if (name == "model.mean") put<float>(b, 5, std::numeric_limits<float>::infinity());
    });
    const auto r = run_genhost("run " + (d / "s.yaml").string() + " --output " + (d / "sampled").string());
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("checkpoint " + copy.string() + ": tensor 'model.mean' holds +infinity at element 5"));
}
