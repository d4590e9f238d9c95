#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <iostream>

#include <genhost/cpp/schema.hpp>
#include <yaml-cpp/emitter.h>

#include "pipeline/pipeline_schema.hpp"
#include "util/error.hpp"

namespace genhost::pipeline {

namespace fs = std::filesystem;

namespace {

struct Problem {
    Location where;
    std::string path;
    std::string message;
};

[[noreturn]] void report(std::vector<Problem> problems, const std::string& file) {
    std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
        return a.where.file == b.where.file ? a.where.line < b.where.line : a.where.file < b.where.file;
    });
    std::string text = problems.size() == 1 ? "" : std::to_string(problems.size()) + " problems in " + file + ":\n";
    for (size_t i = 0; i < problems.size(); ++i) {
        const Problem& p = problems[i];
        text += (i ? "\n" : "") + (p.where.file.empty() ? file : p.where.str()) + ": " +
                (p.path.empty() ? "" : p.path + ": ") + p.message;
    }
    throw Error(text);
}

std::string describe(const schema::Issue& issue) {
    std::string m = issue.message;
    if (!issue.suggestion.empty()) {
        // "unknown key (known keys: ...)" reads better with the suggestion first.
        auto cut = m.find(" (");
        m = m.substr(0, cut) + "; did you mean '" + issue.suggestion + "'?" + (cut == std::string::npos ? "" : m.substr(cut));
    }
    return m;
}

void add_issues(std::vector<Problem>& problems, const YamlDocument& doc, const std::vector<schema::Issue>& issues,
                const std::string& prefix = "") {
    for (const auto& issue : issues) {
        std::string path = prefix.empty() ? issue.path : schema::join_path(prefix, issue.path);
        // An unknown key is pointed at where the key is written; a bad value at the value.
        bool about_key = issue.message.rfind("unknown", 0) == 0 && doc.locations.count(path + "#key");
        Location where = about_key ? doc.locations.at(path + "#key") : doc.locate(path);
        problems.push_back({where, path, describe(issue)});
    }
}

// Splits "a.b[2].c" into {"a", "b", "[2]", "c"}.
std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : key) {
        if (c == '.' || c == '[') {
            if (!cur.empty()) parts.push_back(cur);
            cur = c == '[' ? "[" : "";
        } else {
            cur += c;
            if (c == ']') parts.push_back(cur), cur.clear();
        }
    }
    if (!cur.empty()) parts.push_back(cur);
    return parts;
}

// A control character (U+0000..U+001F, U+007F) in `text`, as "0x01", or "".
std::string control_character(const std::string& text) {
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7F) {
            const char* digits = "0123456789ABCDEF";
            return std::string("0x") + digits[c >> 4] + digits[c & 15];
        }
    return "";
}

// What is wrong with `text` as a file name or path, or "". `name` is one folder name
// under runs/: no separators, and not "." or "..", which would leave runs/.
std::string bad_name_or_path(const std::string& text, bool is_name) {
    if (text.empty())
        return is_name ? "is empty; give the run a name, e.g. name: mnist-vae (it names the folder runs/NAME)"
                       : "is an empty path; remove the key for the default, or name a file or folder";
    if (const std::string c = control_character(text); !c.empty())
        return "holds the control character " + c + " (from an escape such as \\0 or \\t); names and paths cannot";
    if (is_name && (text.find('/') != std::string::npos || text.find('\\') != std::string::npos))
        return "'" + text + "' holds a path separator; a name is one folder name under runs/ (to write elsewhere, "
               "set output: DIR)";
    if (is_name && (text == "." || text == ".."))
        return "'" + text + "' would not name a folder of its own under runs/; choose a name such as mnist-vae";
    return "";
}

// Names and paths are used as file names: refuse what would misplace or break one.
void check_names_and_paths(const nlohmann::json& p, const YamlDocument& doc, std::vector<Problem>& problems) {
    const auto check = [&](const nlohmann::json& value, const std::string& path, bool is_name) {
        if (!value.is_string()) return;
        if (const std::string why = bad_name_or_path(value.get<std::string>(), is_name); !why.empty())
            problems.push_back({doc.locate(path), path, why});
    };
    if (p.contains("name")) check(p["name"], "name", true);
    if (p.contains("output")) check(p["output"], "output", false);
    for (const char* key : {"path", "images", "labels"})
        if (p.contains("data") && p["data"].contains(key)) check(p["data"][key], std::string("data.") + key, false);
    for (const char* domain : {"a", "b"})
        for (const char* key : {"path", "images", "labels"})
            if (p.contains("data") && p["data"].contains("domains") && p["data"]["domains"].is_object() &&
                p["data"]["domains"].contains(domain) && p["data"]["domains"][domain].is_object() &&
                p["data"]["domains"][domain].contains(key))
                check(p["data"]["domains"][domain][key], std::string("data.domains.") + domain + "." + key, false);
    if (p.contains("model") && p["model"].contains("checkpoint")) check(p["model"]["checkpoint"], "model.checkpoint", false);
    if (p.contains("plugin_paths") && p["plugin_paths"].is_array())
        for (size_t i = 0; i < p["plugin_paths"].size(); ++i)
            check(p["plugin_paths"][i], "plugin_paths[" + std::to_string(i) + "]", false);
}

}  // namespace

void apply_override(YamlDocument& doc, const std::string& assignment) {
    const std::string origin = "--set " + printable(assignment);
    check_text(assignment, origin);  // the key too: it becomes a path in messages and files
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Error(origin + ": expected KEY=VALUE, e.g. --set train.epochs=3 or --set sample.scheduler.plugin=ddim");
    const std::string key = assignment.substr(0, eq);
    YamlDocument value = parse_yaml(assignment.substr(eq + 1), origin);
    if (assignment.size() == eq + 1) value.root = "";
    std::vector<std::string> parts = split_key(key);
    if (parts.empty()) throw Error(origin + ": the key is empty");
    if (!doc.root.is_object()) doc.root = nlohmann::json::object();
    nlohmann::json* node = &doc.root;
    std::string path;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        bool last = i + 1 == parts.size();
        if (part.front() == '[') {
            size_t index = 0;
            try {
                index = std::stoul(part.substr(1, part.size() - 2));
            } catch (const std::exception&) {
                throw Error(origin + ": '" + part + "' is not a list index");
            }
            if (!node->is_array() || index >= node->size())
                throw Error(origin + ": " + (path.empty() ? "the root" : path) + " has no item " + part);
            path += part;
            node = &(*node)[index];
        } else {
            if (node->is_null()) *node = nlohmann::json::object();
            if (!node->is_object())
                throw Error(origin + ": " + path + " is " + schema::type_name(*node) + ", not a mapping, so it has no key '" +
                            part + "'");
            path = schema::join_path(path, part);
            node = &(*node)[part];
        }
        if (last) *node = value.root;
    }
    Location where{origin, 0, 0};
    for (auto it = doc.locations.begin(); it != doc.locations.end();)  // forget the replaced value's places
        it = (it->first == path || it->first.rfind(path + ".", 0) == 0 || it->first.rfind(path + "[", 0) == 0)
                 ? doc.locations.erase(it)
                 : std::next(it);
    // Everything inside the value was written by this --set.
    for (const auto& [inner, place] : value.locations) {
        (void)place;
        std::string full = inner.empty() ? path : inner[0] == '[' ? path + inner : path + "." + inner;
        doc.locations[full] = where;
    }
    doc.locations[path] = where;
    doc.locations[path + "#key"] = where;
}

nlohmann::json check_document(const YamlDocument& doc, const nlohmann::json& schema, const std::string& file) {
    nlohmann::json value = doc.root;
    std::vector<schema::Issue> issues;
    schema::validate(value, schema, issues);
    std::vector<Problem> problems;
    add_issues(problems, doc, issues);
    if (!problems.empty()) report(problems, file);
    return value;
}

Pipeline Pipeline::load(const fs::path& file, const std::vector<std::string>& overrides) {
    Pipeline p;
    p.file_ = file;
    p.document_ = load_yaml_file(file.string());
    if (p.document_.root.is_null()) p.document_.root = nlohmann::json::object();
    if (!p.document_.root.is_object())
        throw Error(file.string() + ":1:1: a pipeline file is a mapping of sections (name, data, model, train, ...), not " +
                    schema::type_name(p.document_.root));
    for (const auto& o : overrides) apply_override(p.document_, o);

    p.json_ = p.document_.root;
    std::vector<schema::Issue> issues;
    schema::validate(p.json_, pipeline_schema(), issues);
    std::vector<Problem> problems;
    add_issues(problems, p.document_, issues);
    if (issues.empty()) check_names_and_paths(p.json_, p.document_, problems);
    // sample.count 0 keeps the section only to pick the sampler (for inpaint): a
    // comparison there would never run.
    if (issues.empty() && p.json_.contains("sample") && p.json_["sample"].value("count", int64_t(1)) == 0 &&
        !p.json_["sample"]["compare"].empty())
        problems.push_back({p.document_.locate("sample.compare"), "sample.compare",
                            "never runs: sample.count is 0 (no sample stage); set sample.count above 0 or remove sample.compare"});
    if (issues.empty() && p.json_.contains("data")) {
        const auto& r = p.json_["data"]["range"];
        if (!(r[0].get<double>() < r[1].get<double>()))
            problems.push_back({p.document_.locate("data.range"), "data.range",
                                "[" + r[0].dump() + ", " + r[1].dump() + "] is empty; the low end comes first: [0, 1] or [-1, 1]"});
    }
    if (!problems.empty()) report(problems, file.string());

    p.anchor_relative_paths();
    if (!p.json_.contains("name")) {
        p.json_["name"] = file.stem().string();
        if (const std::string why = bad_name_or_path(file.stem().string(), true); !why.empty())
            throw Error(file.string() + ": the run's name, taken from the file name, " + why + "; set name: in the file");
    }
    if (p.json_["output"].is_null()) p.json_["output"] = "runs/" + p.json_["name"].get<std::string>();
    return p;
}

std::vector<fs::path> Pipeline::plugin_folders() const {
    std::vector<fs::path> folders;
    for (const auto& f : json_.at("plugin_paths")) folders.push_back(f.get<std::string>());  // anchored by load
    return folders;
}

// One rule for relative paths (as CMake and Hydra read theirs): a path written in the
// pipeline file is relative to the file's folder, so a pipeline means the same files from
// any working directory; a path given with --set, as typed in a shell, is relative to the
// working directory. The run directory (`output`, default runs/<name>) is written, not
// read: it stays relative to the working directory.
void Pipeline::anchor_relative_paths() {
    auto anchor = [&](nlohmann::json& value, const std::string& key) {
        if (!value.is_string()) return;
        const fs::path path = value.get<std::string>();
        if (path.empty() || path.is_absolute()) return;
        auto it = document_.locations.find(key);
        if (it == document_.locations.end() || it->second.file != file_.string()) return;  // a default or --set
        value = (file_.parent_path() / path).lexically_normal().string();
    };
    if (json_.contains("data"))
        for (const char* k : {"path", "images", "labels"})
            if (json_["data"].contains(k)) anchor(json_["data"][k], std::string("data.") + k);
    if (json_.contains("data") && json_["data"].contains("domains") && json_["data"]["domains"].is_object())
        for (const char* domain : {"a", "b"})
            if (json_["data"]["domains"].contains(domain))
                for (const char* k : {"path", "images", "labels"})
                    if (json_["data"]["domains"][domain].contains(k))
                        anchor(json_["data"]["domains"][domain][k], std::string("data.domains.") + domain + "." + k);
    if (json_.contains("model") && json_["model"].contains("checkpoint"))
        anchor(json_["model"]["checkpoint"], "model.checkpoint");
    if (json_.contains("components"))
        for (auto it = json_["components"].begin(); it != json_["components"].end(); ++it)
            if (it.value().contains("checkpoint"))
                anchor(it.value()["checkpoint"], "components." + it.key() + ".checkpoint");
    for (size_t i = 0; i < json_["plugin_paths"].size(); ++i)
        anchor(json_["plugin_paths"][i], "plugin_paths[" + std::to_string(i) + "]");
}

void Pipeline::resolve_plugins(const loader::PluginRegistry& registry) {
    std::vector<Problem> problems;
    auto resolve = [&](nlohmann::json& section, const std::string& path, const char* kind) {
        const std::string name = section.at("plugin").get<std::string>();
        const std::string plugin_path = schema::join_path(path, "plugin");
        try {
            const auto& plugin = registry.find(name);
            const auto& d = *plugin.description;
            if (d.kind != kind) {
                problems.push_back({document_.locate(plugin_path), plugin_path,
                                    "'" + name + "' is a " + d.kind + " plugin, but a " + kind + " plugin is needed here"});
                return;
            }
            section["plugin"] = d.id;
            std::vector<schema::Issue> issues;
            if (!section.contains("params")) section["params"] = nlohmann::json::object();
            schema::validate(section["params"], d.params_schema, issues);
            for (auto& i : issues)
                if (i.message.rfind("unknown key", 0) == 0)
                    i.message = "unknown parameter of " + d.id + " (`genhost info " + d.id + "` lists them)";
            add_issues(problems, document_, issues, schema::join_path(path, "params"));
        } catch (const Error& e) {
            problems.push_back({document_.locate(plugin_path), plugin_path, e.what()});
        }
    };
    resolve(json_["model"], "model", "model");
    if (json_.contains("scheduler")) resolve(json_["scheduler"], "scheduler", "scheduler");
    if (json_.contains("sample") && json_["sample"].contains("scheduler"))
        resolve(json_["sample"]["scheduler"], "sample.scheduler", "scheduler");
    if (json_.contains("evaluate") && json_["evaluate"].contains("scheduler"))
        resolve(json_["evaluate"]["scheduler"], "evaluate.scheduler", "scheduler");
    // Lists of plugins: each entry a name or {plugin: NAME, params: {...}}.
    auto resolve_list = [&](nlohmann::json& list, const std::string& path, const char* kind) {
        for (size_t i = 0; i < list.size(); ++i) {
            std::string item = path + "[" + std::to_string(i) + "]";
            if (list[i].is_string()) list[i] = {{"plugin", list[i]}, {"params", nlohmann::json::object()}};
            if (!list[i].contains("plugin")) {
                problems.push_back({document_.locate(item), item, std::string("needs a 'plugin' key naming a ") + kind + " plugin"});
                continue;
            }
            resolve(list[i], item, kind);
        }
    };
    if (json_.contains("evaluate")) resolve_list(json_["evaluate"]["metrics"], "evaluate.metrics", "metric");
    // Components: a model plugin each. Without `plugin`, the one its checkpoint names
    // (read when the run loads it, host/run/components.cpp).
    for (auto it = json_["components"].begin(); it != json_["components"].end(); ++it)
        if (it.value().contains("plugin")) resolve(it.value(), "components." + it.key(), "model");
    if (json_.contains("sample")) resolve_list(json_["sample"]["compare"], "sample.compare", "scheduler");
    if (problems.empty()) inherit_schedule(registry);
    if (!problems.empty()) report(problems, file_.string());
}

// Like diffusers' Scheduler.from_config(pipe.scheduler.config): a sampling scheduler takes
// the noise schedule the model was trained with, unless its params say otherwise. Without
// this, swapping DDPM for Heun would also swap betas 0.0001..0.02 for Heun's own defaults
// (0.00085..0.012), and the model would be asked about noise levels it never saw.
// A sampling scheduler takes only the keys it declares (docs/schedulers.md lists them;
// add_schedule_params in <genhost/cpp/scheduler.hpp> declares them all). A key the training
// scheduler sets (written, or not its default) that the sampler does not declare would
// be dropped silently: it is dropped with a warning instead.
void Pipeline::inherit_schedule(const loader::PluginRegistry& registry) {
    if (!json_.contains("scheduler")) return;
    static const char* const kScheduleKeys[] = {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule",
                                                "trained_betas", "rescale_betas_zero_snr", "prediction_type"};
    const nlohmann::json& trained = json_["scheduler"]["params"];
    const auto& trained_plugin = registry.find(json_["scheduler"]["plugin"].get<std::string>());
    const nlohmann::json& trained_schema = trained_plugin.description->params_schema;
    auto is_default = [&](const char* key) {
        if (written(std::string("scheduler.params.") + key)) return false;
        if (!trained_schema.contains("properties") || !trained_schema["properties"].contains(key)) return false;
        const auto& property = trained_schema["properties"][key];
        return property.contains("default") && property["default"] == trained[key];
    };
    auto inherit = [&](nlohmann::json& section, const std::string& path) {
        const auto& plugin = registry.find(section["plugin"].get<std::string>());
        const auto& schema = plugin.description->params_schema;
        for (const char* key : kScheduleKeys) {
            if (!trained.contains(key)) continue;
            const std::string param_path = path + ".params." + key;
            const bool declared = schema.contains("properties") && schema["properties"].contains(key);
            if (declared && !written(param_path)) section["params"][key] = trained[key];
            if (!declared && !is_default(key)) {
                const std::string where = written(std::string("scheduler.params.") + key)
                                              ? locate(std::string("scheduler.params.") + key).str()
                                              : locate(path).str();
                std::string w = where + ": warning: " + path + " (" + plugin.description->id +
                                ") does not declare the param '" + key + "', so the training schedule's " + key +
                                ": " + trained[key].dump() + " (scheduler " + trained_plugin.description->id +
                                ") is not passed on and sampling uses the scheduler's own schedule; declare it "
                                "(docs/schedulers.md, 'Inheriting the training schedule') or sample with a "
                                "scheduler that does";
                warnings_.push_back(w);
                std::cerr << "genhost: " << w << "\n";
            }
        }
    };
    if (json_.contains("evaluate") && json_["evaluate"].contains("scheduler"))
        inherit(json_["evaluate"]["scheduler"], "evaluate.scheduler");
    if (!json_.contains("sample")) return;
    if (json_["sample"].contains("scheduler")) inherit(json_["sample"]["scheduler"], "sample.scheduler");
    auto& compare = json_["sample"]["compare"];
    for (size_t i = 0; i < compare.size(); ++i) inherit(compare[i], "sample.compare[" + std::to_string(i) + "]");
}

namespace {

void emit(YAML::Emitter& out, const nlohmann::json& v) {
    switch (v.type()) {
        case nlohmann::json::value_t::object:
            out << YAML::BeginMap;
            for (auto it = v.begin(); it != v.end(); ++it) {
                out << YAML::Key << it.key() << YAML::Value;
                emit(out, it.value());
            }
            out << YAML::EndMap;
            break;
        case nlohmann::json::value_t::array: {
            bool flat = std::all_of(v.begin(), v.end(), [](const auto& x) { return x.is_primitive(); });
            if (flat) out << YAML::Flow;
            out << YAML::BeginSeq;
            for (const auto& x : v) emit(out, x);
            out << YAML::EndSeq;
            break;
        }
        case nlohmann::json::value_t::string: {
            const std::string s = v.get<std::string>();
            // Quote strings that would otherwise read back as numbers, booleans or null.
            bool ambiguous = !scalar_to_json(s, false).is_string();
            if (ambiguous) out << YAML::DoubleQuoted;
            out << s;
            break;
        }
        case nlohmann::json::value_t::null: out << YAML::Null; break;
        default: out << v.dump(); break;
    }
}

}  // namespace

std::string to_yaml(const nlohmann::json& value) {
    YAML::Emitter out;
    emit(out, value);
    return std::string(out.c_str()) + "\n";
}

std::string Pipeline::to_yaml() const { return to_yaml(json_); }

std::string Pipeline::to_yaml(const nlohmann::json& values) const {
    return "# The resolved pipeline: " + file_.string() + " with every default filled in.\n" + pipeline::to_yaml(values);
}

}  // namespace genhost::pipeline
