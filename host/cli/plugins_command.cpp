// genhost plugins: every plugin found, and every library that failed to load.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/options.hpp"

namespace genhost::cli {

int plugins_command(const Args& args) {
    bool json = false;
    std::vector<std::string> plugin_paths;
    po::options_description desc("Options");
    desc.add_options()("json", po::bool_switch(&json), "print JSON instead of a table");
    add_plugin_path_option(desc, plugin_paths);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, "Usage: genhost plugins [--json] [--plugin-path DIR]...\n"
                     "Lists every plugin found: id, kind, version, features and file.",
               desc, {}, vm, code))
        return code;

    loader::PluginRegistry registry;
    scan_plugins(registry, plugin_paths);
    if (json) {
        nlohmann::json out = {{"plugins", nlohmann::json::array()}, {"problems", nlohmann::json::array()}};
        for (const auto* p : registry.plugins()) {
            const auto& d = *p->description;
            out["plugins"].push_back({{"id", d.id}, {"name", d.name}, {"kind", d.kind}, {"version", d.version},
                                      {"vendor", d.vendor}, {"features", d.features},
                                      {"file", p->library->path().string()}});
        }
        for (const auto& problem : registry.problems())
            out["problems"].push_back({{"file", problem.file.string()}, {"error", problem.message}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (registry.plugins().empty()) std::cout << "No plugins found.\n";
    size_t id_width = 2, kind_width = 4, version_width = 7;
    for (const auto* p : registry.plugins()) {
        id_width = std::max(id_width, p->description->id.size());
        kind_width = std::max(kind_width, p->description->kind.size());
        version_width = std::max(version_width, p->description->version.size());
    }
    auto pad = [](const std::string& s, size_t w) { return s + std::string(w > s.size() ? w - s.size() : 0, ' '); };
    if (!registry.plugins().empty())
        std::cout << pad("ID", id_width) << "  " << pad("KIND", kind_width) << "  " << pad("VERSION", version_width)
                  << "  FEATURES / FILE\n";
    for (const auto* p : registry.plugins()) {
        const auto& d = *p->description;
        std::string features;
        for (const auto& f : d.features) features += (features.empty() ? "" : ",") + f;
        std::cout << pad(d.id, id_width) << "  " << pad(d.kind, kind_width) << "  " << pad(d.version, version_width)
                  << "  " << (features.empty() ? "-" : features) << "\n"
                  << std::string(id_width + kind_width + version_width + 6, ' ') << p->library->path().string() << "\n";
    }
    for (const auto& problem : registry.problems())
        std::cerr << "genhost: not loaded: " << problem.message << "\n";
    return 0;
}

}  // namespace genhost::cli
