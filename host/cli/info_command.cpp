// genhost info PLUGIN: what a plugin is and every parameter it takes.
#include <iostream>

#include "cli/options.hpp"
#include "util/error.hpp"

namespace genhost::cli {

namespace {

std::string type_of(const nlohmann::json& p) {
    std::string t = p.contains("type") ? (p["type"].is_string() ? p["type"].get<std::string>() : p["type"].dump()) : "any";
    if (t == "array" && p.contains("items") && p["items"].contains("type"))
        t = "list of " + p["items"]["type"].get<std::string>();
    return t;
}

std::string range_of(const nlohmann::json& p) {
    if (p.contains("enum")) {
        std::string s;
        for (const auto& v : p["enum"]) s += (s.empty() ? "" : " | ") + (v.is_string() ? v.get<std::string>() : v.dump());
        return s;
    }
    std::string lo = p.contains("minimum") ? "[" + p["minimum"].dump()
                   : p.contains("exclusiveMinimum") ? "(" + p["exclusiveMinimum"].dump() : "";
    std::string hi = p.contains("maximum") ? p["maximum"].dump() + "]"
                   : p.contains("exclusiveMaximum") ? p["exclusiveMaximum"].dump() + ")" : "";
    if (lo.empty() && hi.empty()) return "";
    return (lo.empty() ? "(-inf" : lo) + ", " + (hi.empty() ? "inf)" : hi);
}

}  // namespace

int info_command(const Args& args) {
    std::string id;
    bool json = false;
    std::vector<std::string> plugin_paths;
    po::options_description desc("Options");
    desc.add_options()("plugin", po::value(&id)->required(), "plugin id or short name")(
        "json", po::bool_switch(&json), "print the descriptor and params schema as JSON");
    add_plugin_path_option(desc, plugin_paths);
    po::positional_options_description pos;
    pos.add("plugin", 1);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, "Usage: genhost info PLUGIN [--json] [--plugin-path DIR]...\n"
                     "Describes a plugin and lists its parameters with types, defaults and ranges.",
               desc, pos, vm, code))
        return code;

    loader::PluginRegistry registry;
    scan_plugins(registry, plugin_paths);
    const auto& p = registry.find(id);
    const auto& d = *p.description;
    if (json) {
        std::cout << nlohmann::json{{"id", d.id}, {"name", d.name}, {"kind", d.kind}, {"version", d.version},
                                    {"vendor", d.vendor}, {"description", d.description}, {"features", d.features},
                                    {"file", p.library->path().string()}, {"params_schema", d.params_schema}}
                         .dump(2)
                  << "\n";
        return 0;
    }
    std::string features;
    for (const auto& f : d.features) features += (features.empty() ? "" : ", ") + f;
    std::cout << d.name << " (" << d.id << " " << d.version << ")\n"
              << "kind:     " << d.kind << "\n"
              << (d.vendor.empty() ? "" : "vendor:   " + d.vendor + "\n") << "features: " << features << "\n"
              << "file:     " << p.library->path().string() << "\n\n"
              << d.description << "\n\n";
    const auto& props = d.params_schema.contains("properties") ? d.params_schema["properties"] : nlohmann::json::object();
    if (props.empty()) {
        std::cout << "No parameters.\n";
        return 0;
    }
    // Where a pipeline sets them depends on what the plugin is.
    const std::string where = d.kind == "scheduler" ? "scheduler.params or sample.scheduler.params"
                              : d.kind == "metric"  ? "evaluate.metrics[].params"
                                                    : "model.params";
    std::cout << "Parameters (" << where << " in a pipeline):\n";
    for (auto it = props.begin(); it != props.end(); ++it) {
        const auto& q = it.value();
        std::string range = range_of(q);
        std::cout << "  " << it.key() << "  (" << type_of(q) << ", default " << q.value("default", nlohmann::json()).dump()
                  << (range.empty() ? "" : ", " + range) << ")\n";
        if (q.contains("description")) std::cout << "      " << q["description"].get<std::string>() << "\n";
    }
    return 0;
}

}  // namespace genhost::cli
