#include "compare/spec.hpp"

#include <algorithm>

#include "pipeline/pipeline.hpp"
#include "pipeline/yaml_document.hpp"
#include "util/error.hpp"

namespace genhost::compare {

namespace fs = std::filesystem;

namespace {

const nlohmann::json& comparison_schema() {
    static const nlohmann::json schema = nlohmann::json::parse(R"json(
{
  "type": "object",
  "required": ["families"],
  "properties": {
    "name":    {"type": "string", "description": "the comparison's name; default: the file name without .yaml"},
    "output":  {"type": ["string", "null"], "default": null, "description": "its folder; default runs/<name>"},
    "threads": {"type": "integer", "minimum": 0, "maximum": 1024, "default": 0,
                "description": "threads of every child run; 0 = all cores"},
    "budget":  {"type": "object", "default": {}, "description": "what every family and seed trains on",
                "properties": {"images": {"type": "integer", "minimum": 1, "default": 64000,
                                          "description": "training images drawn (train.steps from the batch size and the data-drawing phases)"}}},
    "seeds":   {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}, "default": [0, 1, 2]},
    "samples": {"type": "integer", "minimum": 2, "default": 1000, "description": "evaluate.count of every run"},
    "metrics": {"type": "array", "default": ["fid", "kid", "inception_score", "prdc"], "description": "evaluate.metrics"},
    "fid_over_training": {"type": "object", "default": {},
      "properties": {
        "points":  {"type": "integer", "minimum": 0, "default": 6, "description": "FID evaluations during training; 0 = none"},
        "samples": {"type": "integer", "minimum": 2, "default": 200, "description": "evaluate.during_training"},
        "last":    {"type": "integer", "minimum": 2, "default": 3, "description": "the last evaluations whose spread is the stability"}}},
    "sample_images": {"type": "integer", "minimum": 1, "default": 64, "description": "images drawn to time sampling"},
    "set": {"type": "array", "items": {"type": "string"}, "default": [], "description": "--set overrides of every family"},
    "families": {"type": "object", "description": "family name -> its pipeline",
      "additionalProperties": {"type": "object", "required": ["pipeline"],
        "properties": {
          "label":    {"type": "string"},
          "pipeline": {"type": "string", "description": "the family's pipeline file, relative to this file"},
          "set":      {"type": "array", "items": {"type": "string"}, "default": []},
          "samplers": {"type": "array", "default": [], "items": {"type": "object", "required": ["name", "plugin"],
            "properties": {"name": {"type": "string"}, "plugin": {"type": "string"},
                           "steps": {"type": "integer", "minimum": 1}, "params": {"type": "object", "additionalProperties": true, "default": {}}}}}}}}
  }
}
)json");
    return schema;
}

bool folder_name(const std::string& s) {
    return !s.empty() && s != "." && s != ".." && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") == std::string::npos;
}

}  // namespace

std::string sampler_slug(const std::string& name) {
    std::string s;
    for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
    return s;
}

bool is_comparison_file(const fs::path& file) {
    try {
        const auto doc = pipeline::load_yaml_file(file.string());
        return doc.root.is_object() && doc.root.contains("families");
    } catch (const std::exception&) {
        return false;  // the pipeline reader will say what is wrong
    }
}

Comparison load_comparison(const fs::path& file, const std::vector<std::string>& overrides) {
    pipeline::YamlDocument doc = pipeline::load_yaml_file(file.string());
    if (!doc.root.is_object())
        throw Error(file.string() + ":1:1: a comparison file is a mapping (name, budget, seeds, families, ...)");
    for (const auto& o : overrides) pipeline::apply_override(doc, o);
    Comparison c;
    c.file = file;
    c.json = pipeline::check_document(doc, comparison_schema(), file.string());
    const nlohmann::json& j = c.json;
    const fs::path folder = file.parent_path();
    std::vector<std::string> problems;
    const auto problem = [&](const std::string& key, const std::string& message) {
        problems.push_back(doc.locate(key).str() + ": " + key + ": " + message);
    };

    c.name = j.value("name", file.stem().string());
    if (!folder_name(c.name)) problem("name", "'" + c.name + "' is not one folder name (letters, digits, - _ .)");
    c.output = j["output"].is_null() ? fs::path("runs") / c.name : fs::path(j["output"].get<std::string>());
    c.threads = j["threads"].get<uint32_t>();
    c.budget_images = j["budget"]["images"].get<int64_t>();
    for (const auto& s : j["seeds"]) c.seeds.push_back(s.get<uint64_t>());
    for (size_t i = 1; i < c.seeds.size(); ++i)
        for (size_t k = 0; k < i; ++k)
            if (c.seeds[i] == c.seeds[k]) problem("seeds[" + std::to_string(i) + "]", "seed " + std::to_string(c.seeds[i]) + " is given twice");
    c.samples = j["samples"].get<int64_t>();
    c.metrics = j["metrics"];
    c.fid_points = j["fid_over_training"]["points"].get<int64_t>();
    c.fid_samples = j["fid_over_training"]["samples"].get<int64_t>();
    c.fid_last = j["fid_over_training"]["last"].get<int64_t>();
    c.sample_images = j["sample_images"].get<int64_t>();
    c.sets = j["set"].get<std::vector<std::string>>();
    if (j["families"].empty()) problem("families", "names no family; give at least one, e.g. vae: {pipeline: vae-conv.yaml}");

    for (auto it = j["families"].begin(); it != j["families"].end(); ++it) {
        const std::string key = "families." + it.key();
        const nlohmann::json& f = it.value();
        Family family;
        family.name = it.key();
        if (!folder_name(family.name))
            problem(key, "'" + family.name + "' names a folder of runs: use lower-case letters, digits, - _ .");
        family.label = f.value("label", family.name);
        family.pipeline = fs::absolute(folder / f["pipeline"].get<std::string>()).lexically_normal();
        std::error_code ec;
        if (!fs::is_regular_file(family.pipeline, ec))
            problem(key + ".pipeline", "no such file: " + family.pipeline.string() + " (relative to " +
                                           (folder.empty() ? std::string(".") : folder.string()) + ")");
        family.sets = f["set"].get<std::vector<std::string>>();
        for (size_t i = 0; i < f["samplers"].size(); ++i) {
            const nlohmann::json& s = f["samplers"][i];
            nlohmann::json params = s["params"];
            if (s.contains("steps")) params["num_inference_steps"] = s["steps"];
            const std::string at = key + ".samplers[" + std::to_string(i) + "]";
            family.samplers.push_back({s["name"].get<std::string>(), {{"plugin", s["plugin"]}, {"params", params}},
                                       doc.locate(at).str() + ": " + at});
            for (size_t k = 0; k < i; ++k)
                if (sampler_slug(family.samplers[k].name) == sampler_slug(family.samplers[i].name))
                    problem(key + ".samplers[" + std::to_string(i) + "].name",
                            "'" + family.samplers[i].name + "' would share the folder sample-" +
                                sampler_slug(family.samplers[i].name) + " with samplers[" + std::to_string(k) +
                                "] ('" + family.samplers[k].name + "'); give the samplers distinct names");
        }
        if (family.samplers.empty()) family.samplers.push_back({"default", nullptr});  // the pipeline's own way
        c.families.push_back(family);
    }
    // In the file's order (the JSON object is sorted by name).
    std::stable_sort(c.families.begin(), c.families.end(), [&](const Family& a, const Family& b) {
        return doc.locate("families." + a.name).line < doc.locate("families." + b.name).line;
    });
    if (!problems.empty()) {
        std::string text = problems.size() == 1 ? "" : std::to_string(problems.size()) + " problems in " + file.string() + ":\n";
        for (size_t i = 0; i < problems.size(); ++i) text += (i ? "\n" : "") + problems[i];
        throw Error(text);
    }
    return c;
}

}  // namespace genhost::compare
