#include "run/run.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "loader/instance.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

namespace {

uint32_t thread_count(const nlohmann::json& pipeline) {
    uint32_t n = pipeline.at("threads").get<uint32_t>();
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    return n;
}

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw Error(file.string() + ": cannot write (is the run directory writable?)");
}

}  // namespace

void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options) {
    const nlohmann::json& p = pipeline.json();
    const fs::path out = pipeline.output_dir();
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw Error(out.string() + ": cannot create the run directory: " + ec.message());
    write_text(out / "pipeline.resolved.yaml", pipeline.to_yaml());

    loader::HostServices services;
    services.seed = p.at("seed").get<uint64_t>();
    services.num_threads = thread_count(p);
    auto model = loader::PluginInstance::create(registry.find(p["model"]["plugin"]), p["model"]["params"], nullptr,
                                                services);
    if (!options.quiet)
        std::cout << "genhost: run '" << pipeline.name() << "': model " << model->id() << ", "
                  << services.num_threads << " threads, output " << out.string() << "\n";

    for (const char* stage : {"train", "sample", "evaluate"})
        if (p.contains(stage))
            throw Error(std::string("the ") + stage + " stage is not available in this build of genhost yet");
}

}  // namespace genhost::run
