#include "run/judge.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checkpoint/atomic_file.hpp"
#include "pipeline/pipeline.hpp"
#include "train/run_checkpoint.hpp"
#include "run/run.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

namespace {

constexpr const char* kJudgePlugin = "org.genhost.classifier";

fs::path cache_root() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "genhost" / "judges";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "genhost" / "judges";
    return fs::temp_directory_path() / "genhost-judges";
}

// What identifies the data a judge learns: the reader and its files, never batching.
nlohmann::json judge_data(const nlohmann::json& data) {
    nlohmann::json d = nlohmann::json::object();
    for (const char* k : {"dataset", "path", "images", "labels", "size", "image_size"}) {
        if (!data.contains(k)) continue;
        d[k] = data[k];
        if (d[k].is_string() && std::string(k) != "dataset") d[k] = fs::absolute(d[k].get<std::string>()).lexically_normal().string();
    }
    d["split"] = "train";
    d["range"] = {0, 1};
    d["batch_size"] = 128;
    return d;
}

// One convolution per stage: 2.3x cheaper than examples/judge-fashion.yaml's network, for a
// judge trained in a minute or two (a feature space needs no top accuracy: 0.89 against 0.90
// on Fashion-MNIST).
nlohmann::json judge_params() { return {{"convs_per_stage", 1}}; }

// The step a judge's checkpoint was saved at (0 when it does not say).
int64_t trained_steps(const fs::path& checkpoint) {
    auto meta = train::read_checkpoint_metadata(checkpoint.string());
    auto it = meta.find("trainer.step");
    try {
        return it == meta.end() ? 0 : std::stoll(it->second);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

std::string judge_folder(const JudgeRequest& r) {
    const nlohmann::json key = {{"data", judge_data(r.data)}, {"plugin", kJudgePlugin}, {"params", judge_params()},
                                {"steps", r.train_steps}};
    const std::string text = key.dump();
    return (cache_root() / (r.data.value("dataset", std::string("data")) + "-" + sha256_hex(text.data(), text.size()).substr(0, 16)))
        .string();
}

std::string judge_unavailable(const nlohmann::json& data, const loader::PluginRegistry& registry) {
    try {
        registry.find(kJudgePlugin);
    } catch (const Error&) {
        return "the classifier plugin (" + std::string(kJudgePlugin) + ") that genhost trains judges with is not installed";
    }
    const std::string kind = data.value("dataset", std::string());
    const bool labelled = kind == "fashion-mnist" || kind == "mnist" || kind == "shapes" || kind == "images" ||
                          (kind == "idx") || (kind == "npy" && data.contains("labels") && !data["labels"].is_null());
    if (!labelled)
        return "the dataset has no labels to train a judge on; train a classifier on labelled images of the same kind "
               "(examples/judge-fashion.yaml) and name it: components: {judge: {plugin: classifier, checkpoint: ...}} "
               "and evaluate.features: judge";
    return "";
}

Component default_judge(const JudgeRequest& r, const loader::PluginRegistry& registry,
                        const loader::HostServices& services) {
    const fs::path folder = judge_folder(r);
    const fs::path checkpoint = folder / "checkpoint.safetensors";
    // A judge whose training was stopped (Ctrl-C) has a checkpoint short of its steps: it
    // is trained on, never used half-trained.
    const bool started = fs::exists(checkpoint);
    if (!started || trained_steps(checkpoint) < r.train_steps) {
        fs::create_directories(folder);
        nlohmann::json p = {{"name", "judge"},
                            {"seed", r.seed},
                            {"threads", r.threads},
                            {"output", folder.string()},
                            {"data", judge_data(r.data)},
                            {"model", {{"plugin", kJudgePlugin}, {"params", judge_params()}}},
                            {"train",
                             {{"steps", r.train_steps},
                              {"optimizer", {{"type", "adam"}, {"lr", 0.001}}},
                              {"log_every", 100},
                              {"checkpoint_every", 200}}},
                            {"evaluate", nlohmann::json::object()}};
        const fs::path file = folder / "judge.yaml";
        checkpoint::write_text_atomic(file.string(),
                                      "# The judge: genhost's feature network for sample-quality metrics on this dataset,\n"
                                      "# trained once on first use. Delete this folder to train it again.\n" +
                                          pipeline::to_yaml(p));
        if (!r.quiet)
            std::cout << "judge: " << (started ? "continuing the interrupted training of" : "no feature network for "
                                                 "this dataset yet; training")
                      << " one (once, " << r.train_steps << " steps; cached in " << folder.string() << ")" << std::endl;
        auto pl = pipeline::Pipeline::load(file);
        pl.resolve_plugins(registry);
        RunOptions o;
        o.quiet = r.quiet;
        o.resume = started;
        o.overwrite = !started;  // an interrupted start before its first checkpoint
        run_pipeline(pl, registry, o);
    }
    auto pl = pipeline::Pipeline::load(folder / "judge.yaml");
    pl.resolve_plugins(registry);
    nlohmann::json section = pl.json()["model"];  // as judge.yaml trained it
    section["checkpoint"] = checkpoint.string();
    return load_component("judge", section, "model", &pl, registry, services);
}

}  // namespace genhost::run
