#include "run/components.hpp"

#include <filesystem>

#include <genhost/cpp/schema.hpp>

#include "train/model_state.hpp"
#include "train/run_checkpoint.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"

namespace genhost::run {

nlohmann::json data_info_json(const genhost_data_info& d) {
    nlohmann::json j = {{"channels", d.channels}, {"height", d.height}, {"width", d.width},
                        {"num_classes", d.num_classes}, {"range", {d.range_min, d.range_max}}};
    if (d.domains > 1) j["domains"] = d.domains;  // only then: one-domain checkpoints read as before
    return j;
}

std::optional<genhost_data_info> checkpoint_data_info(const std::string& checkpoint) {
    auto meta = train::read_checkpoint_metadata(checkpoint);
    auto it = meta.find("data");
    if (it == meta.end() || it->second == "null") return std::nullopt;
    try {
        const nlohmann::json j = nlohmann::json::parse(it->second);
        genhost_data_info d{sizeof(genhost_data_info), j.at("channels").get<int64_t>(), j.at("height").get<int64_t>(),
                            j.at("width").get<int64_t>(), j.at("num_classes").get<int64_t>(),
                            j.at("range")[0].get<float>(), j.at("range")[1].get<float>(), j.value("domains", int64_t{1})};
        if (d.channels < 1 || d.height < 1 || d.width < 1 || d.num_classes < 0 || !(d.range_min < d.range_max))
            throw Error("values out of range");
        return d;
    } catch (const std::exception& e) {
        throw Error("checkpoint " + checkpoint + ": its 'data' metadata is not readable (" + e.what() +
                    "); was it written by genhost?");
    }
}

nlohmann::json params_from_checkpoint(const nlohmann::json& section, const std::string& key,
                                      const std::string& checkpoint, const pipeline::Pipeline& pipeline,
                                      const loader::PluginRegistry& registry) {
    auto meta = train::read_checkpoint_metadata(checkpoint);
    const std::string id = section.at("plugin").get<std::string>();
    if (meta.count("plugin.id") && meta["plugin.id"] != id)
        throw Error("checkpoint " + checkpoint + " was written for plugin '" + meta["plugin.id"] + "', but the pipeline's " + key +
                    " is '" + id + "'; set " + key + ".plugin: " + meta["plugin.id"] + " or name another checkpoint");
    auto it = meta.find("plugin.params");
    if (it == meta.end()) return section["params"];
    nlohmann::json saved = nlohmann::json::parse(it->second);
    // Params a newer version of the plugin added get their defaults.
    std::vector<schema::Issue> issues;
    schema::validate(saved, registry.find(id).description->params_schema, issues);
    if (!issues.empty())
        throw Error("checkpoint " + checkpoint + ": its params no longer fit plugin '" + id + "':\n" + schema::format(issues));
    // Only what the pipeline writes (in its file, or by --set: the whole params or one key)
    // must agree; every other param, a default the schema filled in, is the checkpoint's.
    std::string differences, first;
    for (auto kv = section["params"].begin(); kv != section["params"].end(); ++kv) {
        const std::string path = key + ".params." + kv.key();
        if (!pipeline.written(path) || (saved.contains(kv.key()) && saved[kv.key()] == kv.value())) continue;
        // saved holds every param of the plugin (the schema filled in the ones it lacked)
        differences += "\n  " + kv.key() + ": the pipeline says " + kv.value().dump() +
                       (saved.contains(kv.key()) ? ", the checkpoint " + saved[kv.key()].dump()
                                                 : ", but plugin '" + id + "' has no such parameter");
        if (first.empty()) first = path;
    }
    if (!differences.empty())
        throw Error(pipeline.locate(first).str() + ": " + key + ".params disagree with the checkpoint " + checkpoint +
                    ":" + differences + "\nremove them from " + key + ".params to use the checkpoint's");
    return saved;
}

nlohmann::json Component::identity() const {
    return {{"plugin", instance ? instance->id() : ""}, {"checkpoint", checkpoint}, {"sha256", sha256}};
}

Component load_component(const std::string& name, const nlohmann::json& section, const std::string& key,
                         const pipeline::Pipeline* pipeline, const loader::PluginRegistry& registry,
                         const loader::HostServices& services) {
    auto where = [&](const std::string& k) { return pipeline ? pipeline->locate(k).str() + ": " + k : k; };
    Component c;
    c.name = name;
    c.checkpoint = section.at("checkpoint").get<std::string>();
    if (!std::filesystem::is_regular_file(c.checkpoint))
        throw Error(where(key + ".checkpoint") + ": " + c.checkpoint +
                    " does not exist; train the component first (its own pipeline writes it) or correct the path");
    const auto info = checkpoint_data_info(c.checkpoint);
    if (!info)
        throw Error(where(key + ".checkpoint") + ": checkpoint " + c.checkpoint +
                    " does not say what data it was trained on; train the component with genhost run");
    c.data_info = *info;
    nlohmann::json resolved = section;
    if (!resolved.contains("plugin")) {  // the plugin that wrote the checkpoint
        auto meta = train::read_checkpoint_metadata(c.checkpoint);
        if (!meta.count("plugin.id"))
            throw Error(where(key + ".checkpoint") + ": checkpoint " + c.checkpoint +
                        " does not name the plugin that wrote it; set " + key + ".plugin");
        resolved["plugin"] = registry.find(meta["plugin.id"]).description->id;
        if (!resolved.contains("params")) resolved["params"] = nlohmann::json::object();
    }
    if (pipeline) {
        resolved["params"] = params_from_checkpoint(resolved, key, c.checkpoint, *pipeline, registry);
    } else {
        auto meta = train::read_checkpoint_metadata(c.checkpoint);
        resolved["params"] = meta.count("plugin.params") ? nlohmann::json::parse(meta["plugin.params"])
                                                         : nlohmann::json::object();
        std::vector<schema::Issue> issues;
        schema::validate(resolved["params"], registry.find(resolved["plugin"].get<std::string>()).description->params_schema,
                         issues);
        if (!issues.empty()) throw Error("checkpoint " + c.checkpoint + ": its params no longer fit its plugin:\n" + schema::format(issues));
    }
    c.instance = loader::PluginInstance::create(registry.find(resolved["plugin"].get<std::string>()),
                                                resolved["params"], &c.data_info, services);
    const genhost_trainable* t = c.instance->trainable();
    if (!t) throw Error(key + ": plugin '" + c.instance->id() + "' has no parameters to load from " + c.checkpoint);
    train::ModelState state(t, c.instance->raw(), c.instance->id());
    train::load_model_weights(c.checkpoint, state, c.instance->id(), /*prefer_ema=*/true);
    c.sha256 = sha256_file(c.checkpoint);
    return c;
}

}  // namespace genhost::run
