// genhost/cpp/schema.hpp: parameter schemas, written and checked.
//
// A plugin describes its parameters as a small JSON Schema (see plugin.h for the
// keywords). The same code checks a plugin's params in the plugin (the C++ helper) and
// in the host (before any work, with the YAML file and line in the message), and the
// host checks whole pipelines with it too: one mechanism, one set of messages.
//
//   auto schema = genhost::ParamSchema()
//       .integer("latent_dim", 20, "size of the latent code z", 1, 4096)
//       .choice("likelihood", "bernoulli", {"bernoulli", "gaussian"}, "p(x|z)")
//       .number("beta", 1.0, "weight of the KL term (beta-VAE)", 0.0);
//
//   std::vector<genhost::schema::Issue> issues;
//   genhost::schema::validate(params, schema.json(), issues);   // fills defaults too
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace genhost {

namespace schema {

// One thing wrong with a value: where (a dotted path such as "data.range[1]"; "" is
// the root), what, and the closest valid key when the problem is an unknown key.
struct Issue {
    std::string path;
    std::string message;
    std::string suggestion;  // "" when there is none
};

// Edit distance, for "did you mean".
inline size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// The candidate closest to `word`, if it is close enough to be a plausible typo.
inline std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_distance = std::numeric_limits<size_t>::max();
    for (const auto& c : candidates) {
        size_t d = edit_distance(word, c);
        if (d < best_distance) best_distance = d, best = c;
    }
    size_t allowed = std::max<size_t>(2, word.size() / 3);
    return best_distance <= allowed ? best : std::string();
}

inline std::string join_path(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

inline std::string type_name(const nlohmann::json& v) {
    switch (v.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::boolean: return "a boolean";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned: return "an integer";
        case nlohmann::json::value_t::number_float: return "a number";
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::array: return "a list";
        case nlohmann::json::value_t::object: return "a mapping";
        default: return "a value";
    }
}

inline bool has_type(const nlohmann::json& v, const std::string& type) {
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "string") return v.is_string();
    if (type == "array") return v.is_array();
    if (type == "object") return v.is_object();
    if (type == "null") return v.is_null();
    return false;
}

inline std::string describe_types(const std::vector<std::string>& types) {
    std::string s;
    for (size_t i = 0; i < types.size(); ++i) {
        const std::string& t = types[i];
        std::string word = t == "integer" ? "an integer" : t == "number" ? "a number"
                         : t == "boolean" ? "a boolean (true or false)" : t == "string" ? "a string"
                         : t == "array" ? "a list" : t == "object" ? "a mapping" : "null";
        s += (i == 0 ? "" : i + 1 == types.size() ? " or " : ", ") + word;
    }
    return s;
}

inline std::string short_json(const nlohmann::json& v) {
    std::string s = v.dump();
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// Checks `value` against `schema`, filling in defaults for absent properties that have
// one, and appends every problem found to `issues`. Unknown object keys are problems
// unless the schema says "additionalProperties": true (or gives a schema for them).
inline void validate(nlohmann::json& value, const nlohmann::json& schema,
                     std::vector<Issue>& issues, const std::string& path = "") {
    if (!schema.is_object()) return;
    const std::string where = path.empty() ? "the value" : path;

    if (auto t = schema.find("type"); t != schema.end()) {
        std::vector<std::string> types;
        if (t->is_string()) types.push_back(*t);
        else if (t->is_array()) for (const auto& x : *t) types.push_back(x.get<std::string>());
        bool ok = std::any_of(types.begin(), types.end(), [&](auto& ty) { return has_type(value, ty); });
        // A whole-number float (YAML "1e3") is accepted where an integer is expected.
        if (!ok && value.is_number_float() && std::find(types.begin(), types.end(), "integer") != types.end()) {
            double d = value.get<double>();
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
                value = static_cast<int64_t>(d);
                ok = true;
            }
        }
        if (!ok) {
            issues.push_back({path, "expected " + describe_types(types) + ", got " + type_name(value) +
                                        " (" + short_json(value) + ")", ""});
            return;
        }
    }

    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
        bool found = std::any_of(e->begin(), e->end(), [&](const auto& c) { return c == value; });
        if (!found) {
            std::vector<std::string> names;
            std::string list;
            for (const auto& c : *e) {
                names.push_back(c.is_string() ? c.template get<std::string>() : c.dump());
                list += (list.empty() ? "" : ", ") + names.back();
            }
            std::string hint = value.is_string() ? closest(value.get<std::string>(), names) : "";
            issues.push_back({path, short_json(value) + " is not one of: " + list, hint});
            return;
        }
    }

    if (value.is_number()) {
        double v = value.get<double>();
        auto bound = [&](const char* key, auto fails, const char* words) {
            if (auto b = schema.find(key); b != schema.end() && b->is_number() && fails(v, b->template get<double>()))
                issues.push_back({path, short_json(value) + " is out of range: it must be " + words + " " + b->dump(), ""});
        };
        bound("minimum", [](double x, double b) { return x < b; }, ">=");
        bound("maximum", [](double x, double b) { return x > b; }, "<=");
        bound("exclusiveMinimum", [](double x, double b) { return x <= b; }, ">");
        bound("exclusiveMaximum", [](double x, double b) { return x >= b; }, "<");
    }

    if (value.is_array()) {
        if (auto m = schema.find("minItems"); m != schema.end() && value.size() < m->get<size_t>())
            issues.push_back({path, "has " + std::to_string(value.size()) + " items, needs at least " + m->dump(), ""});
        if (auto m = schema.find("maxItems"); m != schema.end() && value.size() > m->get<size_t>())
            issues.push_back({path, "has " + std::to_string(value.size()) + " items, allows at most " + m->dump(), ""});
        if (auto items = schema.find("items"); items != schema.end())
            for (size_t i = 0; i < value.size(); ++i)
                validate(value[i], *items, issues, path + "[" + std::to_string(i) + "]");
    }

    if (value.is_object()) {
        static const nlohmann::json no_properties = nlohmann::json::object();
        auto p = schema.find("properties");
        const nlohmann::json& properties = p != schema.end() ? *p : no_properties;
        auto extra = schema.find("additionalProperties");
        std::vector<std::string> known;
        for (auto it = properties.begin(); it != properties.end(); ++it) known.push_back(it.key());

        for (auto it = value.begin(); it != value.end(); ++it) {
            if (properties.contains(it.key())) continue;
            if (extra != schema.end() && extra->is_boolean() && extra->get<bool>()) continue;
            if (extra != schema.end() && extra->is_object()) {
                validate(it.value(), *extra, issues, join_path(path, it.key()));
                continue;
            }
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            issues.push_back({join_path(path, it.key()),
                              "unknown key" + (list.empty() ? std::string(" (no keys are allowed here)")
                                                            : " (known keys: " + list + ")"),
                              closest(it.key(), known)});
        }
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            auto v = value.find(it.key());
            if (v == value.end()) {
                auto d = it.value().find("default");
                if (d == it.value().end()) continue;
                value[it.key()] = *d;
                v = value.find(it.key());
            }
            validate(*v, it.value(), issues, join_path(path, it.key()));
        }
        if (auto r = schema.find("required"); r != schema.end() && r->is_array())
            for (const auto& key : *r)
                if (!value.contains(key.get<std::string>()))
                    issues.push_back({join_path(path, key.get<std::string>()), "is required but missing", ""});
    }
}

// Issues as one message, one per line: "path: message (did you mean 'x'?)".
inline std::string format(const std::vector<Issue>& issues) {
    std::string s;
    for (const auto& i : issues) {
        if (!s.empty()) s += "\n";
        s += (i.path.empty() ? "" : i.path + ": ") + i.message;
        if (!i.suggestion.empty()) s += " (did you mean '" + i.suggestion + "'?)";
    }
    return s;
}

}  // namespace schema

// Builds a plugin's parameter schema, one parameter per call.
class ParamSchema {
public:
    ParamSchema& integer(const std::string& name, int64_t default_value, const std::string& doc,
                         std::optional<int64_t> minimum = std::nullopt,
                         std::optional<int64_t> maximum = std::nullopt) {
        auto& p = add(name, "integer", default_value, doc);
        if (minimum) p["minimum"] = *minimum;
        if (maximum) p["maximum"] = *maximum;
        return *this;
    }
    ParamSchema& number(const std::string& name, double default_value, const std::string& doc,
                        std::optional<double> minimum = std::nullopt,
                        std::optional<double> maximum = std::nullopt) {
        auto& p = add(name, "number", default_value, doc);
        if (minimum) p["minimum"] = *minimum;
        if (maximum) p["maximum"] = *maximum;
        return *this;
    }
    ParamSchema& boolean(const std::string& name, bool default_value, const std::string& doc) {
        add(name, "boolean", default_value, doc);
        return *this;
    }
    ParamSchema& string(const std::string& name, const std::string& default_value, const std::string& doc) {
        add(name, "string", default_value, doc);
        return *this;
    }
    ParamSchema& choice(const std::string& name, const std::string& default_value,
                        const std::vector<std::string>& choices, const std::string& doc) {
        add(name, "string", default_value, doc)["enum"] = choices;
        return *this;
    }
    ParamSchema& integers(const std::string& name, const std::vector<int64_t>& default_value,
                          const std::string& doc, std::optional<int64_t> minimum = std::nullopt) {
        auto& p = add(name, "array", default_value, doc);
        p["items"] = {{"type", "integer"}};
        if (minimum) p["items"]["minimum"] = *minimum;
        return *this;
    }
    ParamSchema& numbers(const std::string& name, const std::vector<double>& default_value,
                         const std::string& doc) {
        add(name, "array", default_value, doc)["items"] = {{"type", "number"}};
        return *this;
    }
    // Any other JSON Schema for one parameter; it must carry a "default".
    ParamSchema& custom(const std::string& name, nlohmann::json property) {
        schema_["properties"][name] = std::move(property);
        return *this;
    }

    const nlohmann::json& json() const { return schema_; }
    std::string text() const { return schema_.dump(); }

private:
    template <class T>
    nlohmann::json& add(const std::string& name, const char* type, const T& default_value,
                        const std::string& doc) {
        auto& p = schema_["properties"][name];
        p = {{"type", type}, {"default", default_value}, {"description", doc}};
        return p;
    }
    nlohmann::json schema_ = {{"type", "object"}, {"properties", nlohmann::json::object()}};
};

}  // namespace genhost
