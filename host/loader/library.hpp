// One plugin library file, loaded and checked.
//
// Loading reads `genhost_entry`, refuses a different ABI major version, calls init,
// fetches the plugin factory and checks every required slot and every descriptor
// before anything else is trusted. A library stays loaded while anything it handed
// out (a descriptor, an instance) is alive: hold it by shared_ptr.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <genhost/genhost.h>

namespace genhost::loader {

// One plugin of a library, its descriptor checked and its params schema parsed.
struct PluginDescription {
    const genhost_plugin_descriptor* descriptor = nullptr;  // owned by the library
    std::string id, name, version, vendor, description;
    std::string kind;  // "model", "scheduler" or "metric"
    std::vector<std::string> features;
    nlohmann::json params_schema;
};

class PluginLibrary {
public:
    // Loads and checks `path`; throws genhost::Error naming the file and the problem.
    static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& path);
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    const std::filesystem::path& path() const { return path_; }
    genhost_version abi_version() const { return abi_version_; }
    const genhost_plugin_factory& factory() const { return *factory_; }
    const std::vector<PluginDescription>& plugins() const { return plugins_; }
    // Plugins of this library that were skipped, and why (the others load).
    const std::vector<std::string>& problems() const { return problems_; }

private:
    struct Handle;
    PluginLibrary(std::filesystem::path path, std::unique_ptr<Handle> handle);

    std::filesystem::path path_;
    std::unique_ptr<Handle> handle_;  // the OS library; closed last
    const genhost_library_entry* entry_ = nullptr;
    const genhost_plugin_factory* factory_ = nullptr;
    genhost_version abi_version_{};
    bool initialized_ = false;
    std::vector<PluginDescription> plugins_;
    std::vector<std::string> problems_;
};

const char* kind_name(uint32_t kind);

}  // namespace genhost::loader
