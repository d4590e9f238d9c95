// Every plugin genhost can see, found in a list of folders.
//
// Search order (docs/pipeline.md): the plugin folder next to the program
// (../lib/genhost/plugins), then GENHOST_PLUGIN_PATH, then --plugin-path, then the
// pipeline's plugin_paths. A file that fails to load is recorded as a problem and the
// others still load; a plugin id offered by two files is an error naming both.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loader/library.hpp"

namespace genhost::loader {

struct LoadProblem {
    std::filesystem::path file;
    std::string message;
};

struct RegisteredPlugin {
    const PluginDescription* description = nullptr;  // owned by `library`
    std::shared_ptr<PluginLibrary> library;
};

class PluginRegistry {
public:
    // Loads every *.so in `folders` (not recursive; missing folders are skipped).
    void scan(const std::vector<std::filesystem::path>& folders);
    // Loads one library file; problems are recorded, not thrown.
    void add_file(const std::filesystem::path& file);

    // The plugin with this id, or short name ("vae" -> "org.genhost.vae", or the one
    // id ending in ".vae"). Throws genhost::Error with a "did you mean" otherwise, and
    // when two files offer the id.
    const RegisteredPlugin& find(const std::string& id_or_name) const;
    // The full id `id_or_name` resolves to, or "" when it resolves to none.
    std::string resolve(const std::string& id_or_name) const;

    std::vector<const RegisteredPlugin*> plugins() const;  // sorted by id
    const std::vector<LoadProblem>& problems() const { return problems_; }
    std::vector<std::string> ids() const;

private:
    std::map<std::string, RegisteredPlugin> plugins_;
    std::map<std::string, std::vector<std::filesystem::path>> duplicates_;  // id -> every file offering it
    std::vector<std::shared_ptr<PluginLibrary>> libraries_;
    std::vector<std::filesystem::path> seen_;
    std::vector<LoadProblem> problems_;
};

// The default search folders: next to the program, then GENHOST_PLUGIN_PATH (':'-separated).
std::vector<std::filesystem::path> default_plugin_folders();

// The folders GENHOST_PLUGIN_PATH names, in order (empty entries skipped).
std::vector<std::filesystem::path> env_plugin_folders();

}  // namespace genhost::loader
