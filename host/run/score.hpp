// `genhost score`: the sample-quality metrics of images made anywhere (a .npy file or a
// folder of PNGs, e.g. a PyTorch model's samples) against a dataset's test split, in the
// judge's feature space, as `python -m pytorch_fid` and `fidelity` do for Inception.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/registry.hpp"
#include "image/grid.hpp"
#include "sample/sampler.hpp"

namespace genhost::run {

struct ScoreOptions {
    std::string images;                 // a .npy file or a folder of PNGs
    nlohmann::json data = {{"dataset", "fashion-mnist"}};  // the reference dataset (a data: section)
    std::vector<std::string> metrics = {"fid", "inception_score", "kid", "prdc", "class_spread"};
    std::string judge;                  // a judge checkpoint; "" = the dataset's cached judge
    int64_t count = 0;                  // real images; 0 = as many as scored (up to the test split)
    int64_t judge_steps = 1000;
    uint32_t threads = 0;
    bool quiet = false;
};

// Reads images for scoring: .npy [N,H,W] or [N,C,H,W] (float in [0,1] or [-1,1], or
// uint8), or a folder of PNGs. `range` receives the values' range. Errors name the file.
sample::Images read_images_to_score(const std::string& path, image::ValueRange& range);

// The scores, as metrics.json holds them: {"fid": ..., ..., "images": {...}, "judge": {...}}.
nlohmann::json score_images(const ScoreOptions& options, const loader::PluginRegistry& registry);

}  // namespace genhost::run
