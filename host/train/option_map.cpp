#include "train/option_map.hpp"

#include "util/error.hpp"

#include <cmath>
#include <sstream>

namespace genhost::train {

std::string to_string(const OptionValue& value) {
    std::ostringstream out;
    if (auto b = std::get_if<bool>(&value)) out << (*b ? "true" : "false");
    else if (auto d = std::get_if<double>(&value)) out << *d;
    else if (auto s = std::get_if<std::string>(&value)) out << "'" << *s << "'";
    else {
        const auto& v = std::get<std::vector<double>>(value);
        out << "[";
        for (std::size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
        out << "]";
    }
    return out.str();
}

OptionReader::OptionReader(const OptionMap& options, std::string where)
    : options_(options), where_(std::move(where)) {
    known_.insert("type");
}

const OptionValue* OptionReader::find(const std::string& key) {
    known_.insert(key);
    auto it = options_.find(key);
    return it == options_.end() ? nullptr : &it->second;
}

void OptionReader::wrong(const std::string& key, const std::string& expected) const {
    throw Error(where_ + ": key '" + key + "' is " + to_string(options_.at(key)) + ", expected " + expected);
}

bool OptionReader::has(const std::string& key) { return find(key) != nullptr; }

double OptionReader::number(const std::string& key, double fallback) {
    const OptionValue* v = find(key);
    if (!v) return fallback;
    const double* d = std::get_if<double>(v);
    if (!d || !std::isfinite(*d)) wrong(key, "a finite number");
    return *d;
}

std::int64_t OptionReader::integer(const std::string& key, std::int64_t fallback) {
    const OptionValue* v = find(key);
    if (!v) return fallback;
    const double* d = std::get_if<double>(v);
    // 2^53: beyond it doubles skip whole numbers, and no step count gets near it.
    if (!d || std::floor(*d) != *d || std::fabs(*d) > 9007199254740992.0) wrong(key, "a whole number");
    return static_cast<std::int64_t>(*d);
}

bool OptionReader::flag(const std::string& key, bool fallback) {
    const OptionValue* v = find(key);
    if (!v) return fallback;
    const bool* b = std::get_if<bool>(v);
    if (!b) wrong(key, "true or false");
    return *b;
}

std::string OptionReader::text(const std::string& key, const std::string& fallback) {
    const OptionValue* v = find(key);
    if (!v) return fallback;
    const std::string* s = std::get_if<std::string>(v);
    if (!s) wrong(key, "a name");
    return *s;
}

std::vector<double> OptionReader::numbers(const std::string& key, const std::vector<double>& fallback) {
    const OptionValue* v = find(key);
    if (!v) return fallback;
    const auto* list = std::get_if<std::vector<double>>(v);
    std::ostringstream expected;
    expected << "a list of " << fallback.size() << " numbers like " << to_string(OptionValue(fallback));
    if (!list || list->size() != fallback.size()) wrong(key, expected.str());
    for (double d : *list)
        if (!std::isfinite(d)) wrong(key, expected.str());
    return *list;
}

void OptionReader::finish() const {
    for (const auto& [key, value] : options_) {
        if (known_.count(key)) continue;
        std::string list;
        for (const std::string& k : known_)
            if (k != "type") list += (list.empty() ? "" : ", ") + k;
        throw Error(where_ + ": unknown key '" + key + "'; " +
                    (list.empty() ? std::string("this takes no keys besides 'type'") : "the known keys are " + list));
    }
}

}  // namespace genhost::train
