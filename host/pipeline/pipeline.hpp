// A pipeline file, checked and resolved before any work starts.
//
//   auto p = Pipeline::load("examples/quickstart.yaml", {"train.epochs=1"});
//   registry.scan(p.plugin_folders());
//   p.resolve_plugins(registry);      // plugin names -> ids, params checked and filled in
//   p.json()["data"]["batch_size"]    // every key present, defaults filled in
//
// Every problem found is reported at once, each with file:line:column, the full key
// path and, for a misspelled key, the intended one ("did you mean ...").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/registry.hpp"
#include "pipeline/yaml_document.hpp"

namespace genhost::pipeline {

class Pipeline {
public:
    // Reads `file`, applies `overrides` ("KEY=VALUE", VALUE in YAML syntax, KEY a
    // dotted path such as sample.scheduler.plugin) and checks it against the pipeline
    // schema. Throws genhost::Error listing every problem.
    static Pipeline load(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

    // Resolves every plugin name to its id, checks its kind, and checks and completes
    // its params against the plugin's own schema. Throws genhost::Error.
    void resolve_plugins(const loader::PluginRegistry& registry);

    // The pipeline's plugin_paths, relative ones taken from the file's folder.
    std::vector<std::filesystem::path> plugin_folders() const;

    const nlohmann::json& json() const { return json_; }
    const std::filesystem::path& file() const { return file_; }
    std::string name() const { return json_.at("name").get<std::string>(); }
    std::filesystem::path output_dir() const { return json_.at("output").get<std::string>(); }
    Location locate(const std::string& path) const { return document_.locate(path); }
    // True when the user wrote `path` (in the file or with --set), false for defaults.
    bool written(const std::string& path) const { return document_.locations.count(path) > 0; }

    // What resolve_plugins noticed but did not refuse ("file:line:column: warning: ..."),
    // also printed to stderr: a training-schedule key the sampling scheduler drops.
    const std::vector<std::string>& warnings() const { return warnings_; }

    // The resolved pipeline (defaults filled in) as YAML, for the run directory.
    std::string to_yaml() const;
    // The same header over other values: the pipeline's with some filled in at run time.
    std::string to_yaml(const nlohmann::json& values) const;

private:
    void inherit_schedule(const loader::PluginRegistry& registry);
    void anchor_relative_paths();

    std::filesystem::path file_;
    YamlDocument document_;
    nlohmann::json json_;
    std::vector<std::string> warnings_;
};

// Applies one "KEY=VALUE" override to `doc`; throws genhost::Error.
void apply_override(YamlDocument& doc, const std::string& assignment);

// `doc` checked against `schema` (a JSON Schema subset, genhost/cpp/schema.hpp), with
// defaults filled in. Throws genhost::Error listing every problem as Pipeline::load does,
// each with file:line:column and the key path: for other files read like a pipeline (a
// comparison, host/compare/).
nlohmann::json check_document(const YamlDocument& doc, const nlohmann::json& schema, const std::string& file);

// nlohmann::json -> block-style YAML text.
std::string to_yaml(const nlohmann::json& value);

}  // namespace genhost::pipeline
