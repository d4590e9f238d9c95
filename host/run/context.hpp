// What every stage of a run shares: the pipeline, the plugin instances (the model, its
// schedulers and the named components), the data, the run directory and the report.
//
// A run is prepared once (plugins created, checkpoints loaded, every stage's options
// checked) and then its stages run in order. `genhost validate` prepares the same way and
// stops before the first stage, so it refuses exactly what `genhost run` would refuse.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.hpp"
#include "image/grid.hpp"
#include "loader/instance.hpp"
#include "pipeline/pipeline.hpp"
#include "run/components.hpp"
#include "run/run.hpp"
#include "sample/latent.hpp"
#include "sample/sampler.hpp"

namespace genhost::run {

class RunContext {
public:
    RunContext(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry, RunOptions options);

    const pipeline::Pipeline& pipeline;
    const loader::PluginRegistry& registry;
    const RunOptions options;
    const nlohmann::json& p;       // the resolved pipeline, every default filled in
    const std::filesystem::path out;
    loader::HostServices services;

    std::shared_ptr<const data::Dataset> dataset;   // the training data, when a stage needs it
    std::shared_ptr<const data::Dataset> dataset_b; // domain b's, with data.domains (dataset is a's)
    std::optional<genhost_data_info> data_info;     // what the model sees
    std::unique_ptr<loader::PluginInstance> model, scheduler, sample_scheduler, evaluate_scheduler;
    nlohmann::json model_params;  // what the model was created with: a checkpoint's, when it has them
    Components components;                          // the pipeline's `components:`, by name
    // Latent diffusion: the factor the encoded latents were multiplied by (0 = not known
    // yet): computed by encode_data(), or read from the model's checkpoint ("latent_scale").
    float latent_scale = 0.0f;
    nlohmann::json report = nlohmann::json::object();  // metrics.json, filled by the stages

    // Creates the plugins and loads every checkpoint; throws genhost::Error.
    void prepare();

    void say(const std::string& line) const;
    // A location for messages: "pipeline.yaml:12:3: key" (or "--set key=...").
    std::string at(const std::string& key) const;
    std::unique_ptr<loader::PluginInstance> create(const nlohmann::json& section, const genhost_data_info* info) const;
    std::map<std::string, std::string> checkpoint_metadata() const;
    bool resuming() const;

    // The sampling options of `sample:` (or its defaults), with the scheduler to use.
    sample::SampleSpec sample_spec() const;
    // The same for the images that evaluate scores: evaluate.scheduler when it is given.
    sample::SampleSpec evaluate_spec(int64_t count) const;
    uint32_t sampling_steps(const nlohmann::json& scheduler_section, const loader::PluginInstance& sched) const;
    bool can_sample() const;  // a generator, an autoregressive model, or a denoiser with a scheduler

    image::ValueRange range() const;
    // The range of the images the run writes and scores: range(), or with sample.decode_with
    // the decoding component's data range.
    image::ValueRange image_range() const;
    // sample.grid.scale: the factor every grid of the run is enlarged by (0 = auto).
    int64_t grid_scale() const;
    // A grid of `images` whose values span `r` (default: range()), enlarged by grid.scale when
    // it is given, else by grid_scale().
    void save_grid(const std::filesystem::path& file, const sample::Images& images, const nlohmann::json& grid,
                   std::optional<image::ValueRange> r = std::nullopt) const;
    // The first `count` images of the test split (0 = all), every class, as the model sees
    // them: in the data range (encoded by data.encode_with when it is set).
    sample::LabelledImages test_images(int64_t count) const;
    // The same images as pictures in image_range(): what generated images are scored against.
    sample::LabelledImages real_images(int64_t count) const;

    // Images drawn from the model (spec as sample_spec()), decoded by sample.decode_with
    // when it is set: what grids, samples.npy and the metrics see.
    sample::Images draw(const sample::SampleSpec& spec) const;
    // With data.encode_with: replaces the training data by its encoding (after prepare(),
    // which only checks, so that `genhost validate` encodes nothing).
    void encode_data();

    // The feature network of the quality metrics: the component evaluate.features names,
    // else the dataset's cached judge (trained on first use). Loaded once.
    const Component& judge();
    // Why judge() would fail, or "" (for checks, which must not train anything).
    std::string judge_problem() const;
    // The metric plugins of evaluate.metrics, created afresh.
    std::vector<std::unique_ptr<loader::PluginInstance>> metrics() const;

private:
    std::optional<Component> default_judge_;
    mutable std::optional<sample::LabelledImages> test_split_;  // read once, sliced per stage
    mutable std::optional<sample::LabelledImages> encoded_test_split_;  // data.encode_with
    const Component* decoder() const;  // sample.decode_with, or nullptr
    void load_data();
    data::Dataset load_domain(const data::DataOptions& o, const std::string& domain) const;
    void create_model();
    void set_noise_schedule();
};

}  // namespace genhost::run
