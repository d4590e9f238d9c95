// Sample quality: real and generated images through one feature network (the judge, a
// model with genhost.embedder/1), then every metric on the same features.
//
//   Scorer scorer(judge, metrics);
//   scorer.set_real(test_images, {0, 1});         // embedded once
//   nlohmann::json values = scorer.score(samples, {-1, 1});   // {"fid": ..., "kid": ...}
//
// Metrics with update_features (ABI 1.2) get features [N, D] and probabilities [N, K];
// older, pixel-based metrics get the images in [0, 1] through update. Scores are only
// comparable in one feature space and at one N: the report names both.
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/grid.hpp"
#include "loader/instance.hpp"
#include "run/components.hpp"
#include "sample/sampler.hpp"

namespace genhost::run {

struct Features {
    int64_t n = 0, dim = 0, classes = 0;
    std::vector<float> features;       // [n, dim]
    std::vector<float> probabilities;  // [n, classes], empty when classes = 0
};

// Embeds `images` (values in `range`) with `judge`, in batches. Checks first that the
// images have the shape the judge was trained on and are finite; `what` names them in
// messages ("generated images", "images in samples.npy").
Features embed(const Component& judge, const sample::Images& images, image::ValueRange range, const std::string& what);

class Scorer {
public:
    // `judge` may be null when no metric takes features (pixel metrics only).
    Scorer(const Component* judge, std::vector<std::unique_ptr<loader::PluginInstance>> metrics);
    // The real set (the test split): embedded once, scored against every later set.
    void set_real(const sample::Images& real, image::ValueRange range);
    // Every metric's values for `generated`, by value name, plus "images" (N of each set)
    // and "judge" (its identity). With `labels`, the class each image was drawn for (a
    // conditional model), and a judge with classes, "label_accuracy" too. Throws
    // genhost::Error naming the metric that failed.
    nlohmann::json score(const sample::Images& generated, image::ValueRange range, const std::string& what,
                         const std::vector<int64_t>& labels = {});

private:
    const Component* judge_;
    std::vector<std::unique_ptr<loader::PluginInstance>> metrics_;
    sample::Images real_pixels_;  // in [0, 1], for pixel-based metrics
    Features real_;
};

// How often the judge's most probable class is the label an image was drawn for:
// "label_accuracy" (all images) and "label_accuracy_per_class" (null for a class not
// asked for) into `out`. A conditional model that ignores its label scores about 1/K.
// Nothing when a label lies outside the judge's classes.
void label_accuracy(const Features& generated, const std::vector<int64_t>& labels, nlohmann::json& out);

// Whether any of `metrics` works on features (ABI 1.2 update_features), so needs a judge.
bool needs_features(const std::vector<std::unique_ptr<loader::PluginInstance>>& metrics);

// Value names of all `metrics`, in order; throws when two metrics share a name.
std::vector<std::string> metric_value_names(const std::vector<std::unique_ptr<loader::PluginInstance>>& metrics);

// The values of `scores` as "fid 12.3, inception_score 4.1 ± 0.2, ..." for the terminal.
std::string describe_scores(const nlohmann::json& scores);

}  // namespace genhost::run
