// Reading a pipeline YAML file safely, keeping where every value came from.
//
// yaml-cpp parses; this layer builds the document from its events so that it can
// refuse what a plain load would accept or choke on: duplicate keys, non-scalar keys,
// recursive aliases, alias explosions ("billion laughs"), absurd nesting, huge files.
// The result is JSON (what the validators work on) plus, for every value, the file,
// line and column it came from, so errors can point at it.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace genhost::pipeline {

struct Location {
    std::string file;  // the YAML file, or "--set" for a command-line override
    int line = 0;      // 1-based; 0 when unknown
    int column = 0;    // 1-based
    std::string str() const;  // "file:line:column"
};

struct YamlDocument {
    nlohmann::json root;
    // Dotted path ("data.range[1]", "" for the root) -> where its value was written.
    // Keys themselves are recorded under the path with a trailing "#key".
    std::map<std::string, Location> locations;

    // The best location for `path`: its own, else the closest enclosing one.
    Location locate(const std::string& path) const;
};

struct YamlLimits {
    size_t max_bytes = 1 << 20;     // a pipeline is a few KB
    int max_depth = 64;             // nesting of mappings and lists
    size_t max_nodes = 100000;      // after expanding aliases
};

// Parses `text` read from `file`; throws genhost::Error with file:line:column.
YamlDocument parse_yaml(const std::string& text, const std::string& file, const YamlLimits& limits = {});
YamlDocument load_yaml_file(const std::string& path, const YamlLimits& limits = {});

// A plain YAML scalar ("1e-3", "true", "null", "abc") as JSON, by YAML 1.2's core schema.
// Throws genhost::Error (without a location) for an integer outside int64 or a number
// outside double, e.g. 1e400.
nlohmann::json scalar_to_json(const std::string& text, bool quoted);

// Throws "<file>:<line>:<column>: ..." at the first byte of `text` that is not valid UTF-8
// or is a control character other than tab, newline and carriage return.
void check_text(const std::string& text, const std::string& file);

// `text` with invalid UTF-8 and control characters shown as \xNN, for messages.
std::string printable(const std::string& text);

}  // namespace genhost::pipeline
