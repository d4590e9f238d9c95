#include "run/score.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <genhost/cpp/schema.hpp>

#include "data/image_folder.hpp"
#include "data/npy.hpp"
#include "run/data_options.hpp"
#include "run/judge.hpp"
#include "run/quality.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

sample::Images read_images_to_score(const std::string& path, image::ValueRange& range) {
    if (!fs::exists(path)) throw Error(path + ": no such file or folder; give a .npy file or a folder of PNG images");
    sample::Images x;
    range = {0.f, 1.f};
    if (fs::is_directory(path)) {
        data::Dataset ds = data::load_image_folder(path);
        x = {ds.n, ds.channels, ds.height, ds.width, std::move(ds.images)};
        return x;
    }
    if (!fs::is_regular_file(path)) throw Error(path + ": not a regular file or folder");
    data::NpyArray a = data::read_npy(path);
    const auto& shape = a.header.shape;
    if (shape.size() != 3 && shape.size() != 4)
        throw Error(path + ": expected images shaped [N, H, W] or [N, C, H, W], got " + std::to_string(shape.size()) +
                    " dimensions");
    x.n = shape[0];
    x.channels = shape.size() == 4 ? shape[1] : 1;
    x.height = shape[shape.size() - 2], x.width = shape[shape.size() - 1];
    const int64_t count = a.count();
    x.data.resize(size_t(count));
    const std::string& t = a.header.dtype;
    for (int64_t i = 0; i < count; ++i) {
        if (t == "u1") x.data[size_t(i)] = float(a.data[size_t(i)]) / 255.f;
        else if (t == "f4") { float v; std::memcpy(&v, a.data.data() + 4 * i, 4); x.data[size_t(i)] = v; }
        else if (t == "f8") { double v; std::memcpy(&v, a.data.data() + 8 * i, 8); x.data[size_t(i)] = float(v); }
        else throw Error(path + ": images of dtype " + t + "; expected float32, float64 or uint8");
    }
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < x.data.size(); ++i) {
        const float v = x.data[i];
        if (!std::isfinite(v))
            throw Error(path + ": image " + std::to_string(int64_t(i) / std::max<int64_t>(1, x.channels * x.height * x.width)) +
                        " holds a NaN or infinite value");
        lo = std::min(lo, v), hi = std::max(hi, v);
    }
    constexpr float slack = 1e-3f;
    if (lo >= -slack && hi <= 1 + slack) range = {0.f, 1.f};
    else if (lo >= -1 - slack && hi <= 1 + slack) range = {-1.f, 1.f};
    else
        throw Error(path + ": values lie in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                    "]; expected [0, 1] or [-1, 1] (or uint8 0..255)");
    return x;
}

nlohmann::json score_images(const ScoreOptions& o, const loader::PluginRegistry& registry) {
    image::ValueRange range;
    const sample::Images images = read_images_to_score(o.images, range);
    if (images.n < 2) throw Error(o.images + ": " + std::to_string(images.n) + " image(s); scoring needs at least 2");
    const nlohmann::json data = default_data_section(o.data);
    loader::HostServices services;
    services.num_threads = o.threads;
    // The reference images first: a dataset that cannot be read fails before a judge is trained.
    const int64_t count = o.count > 0 ? o.count : images.n;
    sample::LabelledImages real;
    try {
        real = test_images(data, 0, count, {0.f, 1.f});
    } catch (const Error& e) {
        throw Error("--data " + data["dataset"].get<std::string>() + ": " + e.what() +
                    " (for genhost score, give the folder or file with --data-path)");
    }
    std::vector<std::unique_ptr<loader::PluginInstance>> metrics;
    for (const auto& name : o.metrics) {
        const auto& plugin = registry.find(name);
        if (plugin.description->kind != "metric")
            throw Error("--metrics: '" + name + "' is a " + plugin.description->kind + " plugin, not a metric");
        nlohmann::json params = nlohmann::json::object();
        std::vector<schema::Issue> issues;
        schema::validate(params, plugin.description->params_schema, issues);  // fills the defaults
        metrics.push_back(loader::PluginInstance::create(plugin, params, nullptr, services));
    }
    Component judge;
    if (!needs_features(metrics)) {
        // pixel metrics only: no feature network
    } else if (!o.judge.empty()) {
        judge = load_component("judge", {{"checkpoint", o.judge}, {"params", nlohmann::json::object()}}, "--judge",
                               nullptr, registry, services);
        if (!judge.instance->embedder())
            throw Error("--judge " + o.judge + ": plugin '" + judge.instance->id() + "' has no genhost.embedder/1");
    } else {
        if (judge_unavailable(data, registry).find("no labels") != std::string::npos)
            throw Error("score: the reference dataset has no labels to train a judge on; train a classifier on labelled "
                        "images of the same kind (examples/judge-fashion.yaml) and pass its checkpoint with --judge");
        if (std::string why = judge_unavailable(data, registry); !why.empty()) throw Error("score: " + why);
        JudgeRequest r;
        r.data = data;
        r.train_steps = o.judge_steps;
        r.threads = o.threads;
        r.quiet = o.quiet;
        judge = default_judge(r, registry, services);
    }
    Scorer scorer(judge.instance ? &judge : nullptr, std::move(metrics));
    scorer.set_real(real.images, {0.f, 1.f});
    nlohmann::json scores = scorer.score(images, range, "the images in " + o.images);
    scores["source"] = o.images;
    scores["reference"] = {{"dataset", data["dataset"]}, {"split", "test"}};
    return scores;
}

}  // namespace genhost::run
