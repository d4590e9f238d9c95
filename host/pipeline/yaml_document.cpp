#include "pipeline/yaml_document.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "util/error.hpp"
#include "util/file_check.hpp"

namespace genhost::pipeline {

std::string Location::str() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Location YamlDocument::locate(const std::string& path) const {
    std::string p = path;
    while (true) {
        if (auto it = locations.find(p); it != locations.end()) return it->second;
        if (p.empty()) return {};
        size_t cut = p.find_last_of(".[");
        p = cut == std::string::npos ? "" : p.substr(0, cut);
    }
}

namespace {

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8
// (a stray continuation byte, a truncated sequence, an overlong form, a surrogate, or a
// code point above U+10FFFF), as the Unicode standard's table 3-7 defines.
size_t utf8_length(const std::string& text, size_t i) {
    const auto b = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    const unsigned c = b(0);
    const auto tail = [&](size_t k) { return b(k) >= 0x80 && b(k) <= 0xBF; };
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return tail(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return b(1) >= lo && b(1) <= hi && tail(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return b(1) >= lo && b(1) <= hi && tail(2) && tail(3) ? 4 : 0;
    }
    return 0;
}

std::string hex_byte(unsigned char c) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

}  // namespace

std::string printable(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const size_t n = utf8_length(text, i);
        if (n == 0 || c < 0x20 || c == 0x7F) {
            out += "\\x" + hex_byte(c).substr(2);
            i += 1;
        } else {
            out.append(text, i, n);
            i += n;
        }
    }
    return out;
}

void check_text(const std::string& text, const std::string& file) {
    int line = 1, column = 1;
    for (size_t i = 0; i < text.size(); ++column) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto at = [&] { return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "; };
        const size_t n = utf8_length(text, i);
        if (n == 0)
            throw Error(at() + "byte " + hex_byte(c) + " is not valid UTF-8; pipeline text must be UTF-8 (re-save the file "
                        "as UTF-8, or write the value in plain ASCII)");
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            throw Error(at() + "control character " + hex_byte(c) + (c == 0 ? " (NUL)" : "") +
                        " in the text; YAML allows only tab, newline and carriage return (a binary file?)");
        if (c == '\n') ++line, column = 0;
        i += n;
    }
}

nlohmann::json scalar_to_json(const std::string& s, bool quoted) {
    if (quoted) return s;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    static const std::regex integer("[-+]?[0-9]+");
    static const std::regex hex("0x[0-9a-fA-F]+");
    static const std::regex number("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    static const std::regex infinity("[-+]?\\.(inf|Inf|INF)");
    // Every integer is read into an int64 (or narrower, with a schema maximum): one beyond
    // it is refused here rather than wrapped or rounded to a float.
    const auto too_large = [&] {
        return Error("'" + s + "' is outside the range of integers a pipeline holds (-9223372036854775808 to "
                     "9223372036854775807)");
    };
    try {
        if (std::regex_match(s, integer)) return static_cast<int64_t>(std::stoll(s));
        if (std::regex_match(s, hex)) return static_cast<int64_t>(std::stoll(s, nullptr, 16));
    } catch (const std::out_of_range&) {
        throw too_large();
    }
    if (std::regex_match(s, number)) {
        errno = 0;
        const double d = std::strtod(s.c_str(), nullptr);
        if (errno == ERANGE && std::isinf(d))
            throw Error("'" + s + "' is too large for a number (the largest is about 1.8e308; write .inf for infinity)");
        return d;  // an underflow to 0 or a denormal is harmless
    }
    if (std::regex_match(s, infinity))
        return s[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return s;
}

namespace {

// Guards yaml-cpp's recursive parser before it runs: it has no depth limit of its own.
void check_nesting(const std::string& text, const std::string& file, int max_depth) {
    int flow = 0, line = 1;
    char quote = 0;
    bool comment = false;
    size_t line_start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') {
            ++line, line_start = i + 1, comment = false;
            if (quote == '\'') continue;  // multi-line quoted scalars keep their quote
            continue;
        }
        if (comment) continue;
        if (quote) {
            if (c == quote && (quote == '\'' || text[i - 1] != '\\')) quote = 0;
            continue;
        }
        if (c == '#' && (i == line_start || text[i - 1] == ' ' || text[i - 1] == '\t')) comment = true;
        else if ((c == '"' || c == '\'') && (i == line_start || std::string(" \t[{,:-").find(text[i - 1]) != std::string::npos)) quote = c;
        else if (c == '[' || c == '{') {
            if (++flow > max_depth)
                throw Error(file + ":" + std::to_string(line) + ":" + std::to_string(i - line_start + 1) +
                            ": nesting deeper than " + std::to_string(max_depth) + " levels is not allowed");
        } else if ((c == ']' || c == '}') && flow > 0) --flow;
        // Block nesting shows as indentation, including "- - - x" sequence indicators.
        if (i == line_start) {
            size_t j = i, indent = 0;
            while (j < text.size() && (text[j] == ' ' || ((text[j] == '-' || text[j] == '?') && j + 1 < text.size() && text[j + 1] == ' '))) ++j, ++indent;
            if (indent > static_cast<size_t>(max_depth) * 8)
                throw Error(file + ":" + std::to_string(line) + ":1: indentation of " + std::to_string(indent) +
                            " columns: nesting this deep is not allowed");
        }
    }
}

size_t count_nodes(const nlohmann::json& j) {
    size_t n = 1;
    if (j.is_structured())
        for (const auto& v : j) n += count_nodes(v);
    return n;
}

class Builder : public YAML::EventHandler {
public:
    Builder(std::string file, const YamlLimits& limits, YamlDocument& doc)
        : file_(std::move(file)), limits_(limits), doc_(doc) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { add(nullptr, mark, anchor, 1); }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end())
            fail(mark, "this alias refers to its own enclosing anchor (a recursive alias), which is not allowed");
        const std::string path = child_path(mark);
        add(it->second.first, mark, 0, it->second.second);
        // Every key inside the aliased value is written here too (Pipeline::written).
        mark_inside(path, it->second.first, loc(mark));
    }

    void mark_inside(const std::string& path, const nlohmann::json& value, const Location& where) {
        if (value.is_object())
            for (const auto& [key, inner] : value.items()) {
                const std::string p = join(path, key);
                doc_.locations[p] = doc_.locations[p + "#key"] = where;
                mark_inside(p, inner, where);
            }
        else if (value.is_array())
            for (size_t i = 0; i < value.size(); ++i) {
                const std::string p = path + "[" + std::to_string(i) + "]";
                doc_.locations[p] = where;
                mark_inside(p, value[i], where);
            }
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        bool quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
        if (!quoted && !tag.empty() && tag != "?")
            fail(mark, "YAML tags such as '" + tag + "' are not supported in pipelines");
        if (!stack_.empty() && stack_.back().is_map && stack_.back().expecting_key) {
            Frame& f = stack_.back();
            if (f.value.contains(value)) {
                Location first = doc_.locations[join(f.path, value) + "#key"];
                fail(mark, "duplicate key '" + value + "' (first written at line " + std::to_string(first.line) +
                               "); each key may appear once");
            }
            f.key = value, f.expecting_key = false;
            doc_.locations[join(f.path, value) + "#key"] = loc(mark);
            return;
        }
        nlohmann::json json;
        try {
            json = scalar_to_json(value, quoted);
        } catch (const Error& e) {
            fail(mark, e.what());
        }
        add(std::move(json), mark, anchor, 1);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor, nlohmann::json::array(), false);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor, nlohmann::json::object(), true);
    }
    void OnMapEnd() override { close(); }

    bool has_root() const { return has_root_; }

private:
    struct Frame {
        nlohmann::json value;
        std::string path;
        bool is_map = false;
        bool expecting_key = true;
        std::string key;
        YAML::anchor_t anchor = 0;
        size_t nodes = 1;
        YAML::Mark mark;
    };

    static std::string join(const std::string& path, const std::string& key) {
        return path.empty() ? key : path + "." + key;
    }

    Location loc(const YAML::Mark& m) const { return {file_, m.line + 1, m.column + 1}; }

    [[noreturn]] void fail(const YAML::Mark& m, const std::string& message) const {
        throw Error(loc(m).str() + ": " + message);
    }

    std::string child_path(const YAML::Mark& mark) {
        if (stack_.empty()) return "";
        Frame& f = stack_.back();
        if (f.is_map) {
            if (f.expecting_key) fail(mark, "mapping keys must be plain scalars (names), not lists, mappings or null");
            return join(f.path, f.key);
        }
        return f.path + "[" + std::to_string(f.value.size()) + "]";
    }

    void count(const YAML::Mark& mark, size_t n) {
        nodes_ += n;
        if (nodes_ > limits_.max_nodes)
            fail(mark, "the document expands to more than " + std::to_string(limits_.max_nodes) +
                           " values (too many, or aliases that multiply); a pipeline is much smaller");
    }

    void open(const YAML::Mark& mark, YAML::anchor_t anchor, nlohmann::json empty, bool is_map) {
        Frame f;
        f.path = child_path(mark);
        f.value = std::move(empty);
        f.is_map = is_map, f.anchor = anchor, f.mark = mark;
        count(mark, 1);
        if (static_cast<int>(stack_.size()) >= limits_.max_depth)
            fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels is not allowed");
        doc_.locations[f.path] = loc(mark);
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.is_map && !f.expecting_key) fail(f.mark, "a mapping key has no value");
        place(std::move(f.value), f.mark, f.anchor, f.nodes, /*counted=*/true);
    }

    void add(nlohmann::json value, const YAML::Mark& mark, YAML::anchor_t anchor, size_t nodes) {
        std::string path = child_path(mark);
        count(mark, nodes);
        doc_.locations[path] = loc(mark);
        place(std::move(value), mark, anchor, nodes, false);
    }

    void place(nlohmann::json value, const YAML::Mark& mark, YAML::anchor_t anchor, size_t nodes, bool) {
        if (anchor) anchors_[anchor] = {value, count_nodes(value)};
        if (stack_.empty()) {
            if (has_root_) fail(mark, "only one YAML document is allowed in a pipeline file");
            doc_.root = std::move(value);
            has_root_ = true;
            return;
        }
        Frame& parent = stack_.back();
        parent.nodes += nodes;
        if (parent.is_map) {
            parent.value[parent.key] = std::move(value);
            parent.expecting_key = true;
        } else {
            parent.value.push_back(std::move(value));
        }
    }

    std::string file_;
    YamlLimits limits_;
    YamlDocument& doc_;
    std::vector<Frame> stack_;
    std::map<YAML::anchor_t, std::pair<nlohmann::json, size_t>> anchors_;
    size_t nodes_ = 0;
    bool has_root_ = false;
};

}  // namespace

YamlDocument parse_yaml(const std::string& text, const std::string& file, const YamlLimits& limits) {
    if (text.size() > limits.max_bytes)
        throw Error(file + ": " + std::to_string(text.size()) + " bytes is too large for a pipeline file (limit " +
                    std::to_string(limits.max_bytes) + ")");
    check_text(text, file);
    check_nesting(text, file, limits.max_depth);
    YamlDocument doc;
    std::istringstream stream(text);
    try {
        YAML::Parser parser(stream);
        Builder builder(file, limits, doc);
        if (!parser.HandleNextDocument(builder) || !builder.has_root()) doc.root = nlohmann::json::object();
        if (parser.HandleNextDocument(builder))
            throw Error(file + ": more than one YAML document ('---'); a pipeline file holds one");
    } catch (const YAML::Exception& e) {
        throw Error(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                    ": invalid YAML: " + e.msg);
    }
    return doc;
}

YamlDocument load_yaml_file(const std::string& path, const YamlLimits& limits) {
    require_regular_file(path, path, "a pipeline YAML file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the pipeline file (does it exist?)");
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<size_t>(in.gcount()));
        if (text.size() > limits.max_bytes)
            throw Error(path + ": too large for a pipeline file (over " + std::to_string(limits.max_bytes) + " bytes)");
    }
    return parse_yaml(text, path, limits);
}

}  // namespace genhost::pipeline
