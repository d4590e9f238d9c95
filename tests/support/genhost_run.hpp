// What the tests that run the genhost program share: the program with the test plugins,
// scratch folders, pipeline files and checkpoints.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <map>

#include "checkpoint/safetensors.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace genhost::testing::run {

namespace fs = std::filesystem;

inline const std::string kGenhost = std::string(GENHOST_BINARY_DIR) + "/bin/genhost";
inline const std::string kPlugins = "--plugin-path " + std::string(GENHOST_BINARY_DIR) + "/tests/plugins/good";

// genhost ARGS with the test plugins; output is stdout and stderr together.
inline CommandResult run_genhost(const std::string& args) { return run_command(kGenhost + " " + args + " " + kPlugins); }

inline fs::path dir(const std::string& name) { return fresh_scratch_dir("run/" + name); }

inline fs::path pipeline(const fs::path& d, const std::string& text, const std::string& name = "p.yaml") {
    std::ofstream(d / name) << text;
    return d / name;
}

inline std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every tensor of a checkpoint, by name, as bytes.
inline std::map<std::string, std::string> tensors(const fs::path& file) {
    auto c = genhost::checkpoint::Checkpoint::read(file.string());
    std::map<std::string, std::string> out;
    for (const auto& name : c.names()) {
        const auto& t = c.tensor(name);
        out[name] = std::string(reinterpret_cast<const char*>(t.data), t.size_bytes);
    }
    return out;
}

}  // namespace genhost::testing::run
