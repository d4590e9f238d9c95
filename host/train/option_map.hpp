// Options as they come from the pipeline YAML, before they become typed structs.
//
// The lead's YAML code maps `optimizer: {type: adam, lr: 1e-3, betas: [0.9, 0.999]}` onto an
// OptionMap (scalars to bool/double/string, sequences of numbers to vector<double>); the
// factories read it through an OptionReader, which checks each key's type and range and,
// at the end, rejects keys nobody asked for, listing the known ones (catches "beta1:" typos).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace genhost::train {

using OptionValue = std::variant<bool, double, std::string, std::vector<double>>;
using OptionMap   = std::map<std::string, OptionValue>;

class OptionReader {
public:
    // `where` starts every message: "gan.yaml:12, train.optimizer (adam)".
    OptionReader(const OptionMap& options, std::string where);

    // Each returns `fallback` when the key is absent and throws genhost::Error when it has
    // the wrong type. Every key asked about becomes a known key for finish().
    double              number (const std::string& key, double fallback);
    std::int64_t        integer(const std::string& key, std::int64_t fallback);   // whole number
    bool                flag   (const std::string& key, bool fallback);
    std::string         text   (const std::string& key, const std::string& fallback);
    std::vector<double> numbers(const std::string& key, const std::vector<double>& fallback);  // same length
    bool                has    (const std::string& key);

    // Throws genhost::Error if the map has a key never asked about ("type" is always known).
    void finish() const;

    const std::string& where() const { return where_; }

private:
    const OptionValue* find(const std::string& key);
    [[noreturn]] void wrong(const std::string& key, const std::string& expected) const;

    const OptionMap&      options_;
    std::string           where_;
    std::set<std::string> known_;
};

// "1e-3", "[0.9, 0.999]", "true", "'cosine'": a value as the user wrote it, for messages.
std::string to_string(const OptionValue& value);

}  // namespace genhost::train
