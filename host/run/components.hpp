// Named models beside the pipeline's `model:`, each a plugin with its params and a trained
// checkpoint (pipeline key `components:`):
//
//   components:
//     judge: {plugin: classifier, checkpoint: runs/judge-fashion/checkpoint.safetensors}
//
// A component is loaded as `model.checkpoint` is: params from the checkpoint's metadata
// (params the pipeline gives must agree), the data shape it was trained on, its weights
// (EMA when saved). Stages refer to components by name (evaluate.features: judge). The
// checkpoint's SHA-256 is part of the run's identity (--resume refuses a changed one)
// and is written beside every number computed with it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "loader/instance.hpp"
#include "pipeline/pipeline.hpp"

namespace genhost::run {

struct Component {
    std::string name;
    std::string checkpoint;          // the file its weights came from
    std::string sha256;              // of that file
    genhost_data_info data_info{};   // the data it was trained on
    std::unique_ptr<loader::PluginInstance> instance;

    // {"plugin", "checkpoint", "sha256"}: how a report names the component.
    nlohmann::json identity() const;
};

using Components = std::map<std::string, Component>;

// Loads the component described by `section` ({plugin, params, checkpoint}); `key` is its
// place in `pipeline` for messages ("components.judge"). Without a pipeline (a command
// such as `genhost score`), the params are the checkpoint's. Throws genhost::Error.
Component load_component(const std::string& name, const nlohmann::json& section, const std::string& key,
                         const pipeline::Pipeline* pipeline, const loader::PluginRegistry& registry,
                         const loader::HostServices& services);

// As diffusers' from_pretrained: params the pipeline does not write (in its file or by
// --set) come from the checkpoint's metadata; params written must agree with it, since
// weights only fit the architecture they were trained with. `key` is the section's place
// ("model", "components.judge").
nlohmann::json params_from_checkpoint(const nlohmann::json& section, const std::string& key,
                                      const std::string& checkpoint, const pipeline::Pipeline& pipeline,
                                      const loader::PluginRegistry& registry);

// The data a checkpoint was trained on (its "data" metadata), if it says.
std::optional<genhost_data_info> checkpoint_data_info(const std::string& checkpoint);

nlohmann::json data_info_json(const genhost_data_info& d);

}  // namespace genhost::run
