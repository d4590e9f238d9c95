// genhost check PLUGIN... | --all: exercise plugins' whole lifecycle through the ABI.
#include <iostream>

#include "check/conformance.hpp"
#include "cli/options.hpp"

namespace genhost::cli {

int check_command(const Args& args) {
    std::vector<std::string> ids, plugin_paths;
    bool all = false;
    po::options_description desc("Options");
    desc.add_options()("plugin", po::value(&ids)->composing(), "plugin ids or short names")(
        "all", po::bool_switch(&all), "check every plugin found");
    add_plugin_path_option(desc, plugin_paths);
    po::positional_options_description pos;
    pos.add("plugin", -1);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, "Usage: genhost check PLUGIN... | --all [--plugin-path DIR]...\n"
                     "Creates each plugin with its defaults, calls every capability it offers on small inputs,\n"
                     "checks the results, destroys it, and reports the first violation of the ABI contract.",
               desc, pos, vm, code))
        return code;
    if (ids.empty() && !all) {
        std::cerr << "genhost check: name a plugin, or --all\n";
        return 2;
    }
    loader::PluginRegistry registry;
    scan_plugins(registry, plugin_paths);
    if (all)
        for (const auto* p : registry.plugins()) ids.push_back(p->description->id);
    bool ok = true;
    for (const auto& id : ids) {
        try {  // one broken plugin must not stop the checks of the others
            const auto& plugin = registry.find(id);
            std::cout << plugin.description->id << " (" << plugin.library->path().string() << ")\n";
            check::CheckOptions options;
            options.report = [](const check::CheckResult& r) {
                std::cout << (r.ok ? "  ok    " : "  FAIL  ") << r.what << (r.detail.empty() ? "" : ": " + r.detail) << "\n";
            };
            ok = check::check_plugin(plugin, options) && ok;
        } catch (const std::exception& e) {
            std::cout << id << "\n  FAIL  " << e.what() << "\n";
            ok = false;
        }
    }
    for (const auto& problem : registry.problems()) {
        if (!all) break;
        std::cout << "not loaded: " << problem.message << "\n";
        ok = false;
    }
    return ok ? 0 : 1;
}

}  // namespace genhost::cli
