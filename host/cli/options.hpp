// Options shared by the commands, and the Program_options plumbing around them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "loader/registry.hpp"

namespace genhost::cli {

namespace po = boost::program_options;

// The options of `run` and `validate`.
struct PipelineOptions {
    std::string pipeline;
    std::vector<std::string> sets;
    std::vector<std::string> plugin_paths;
    std::optional<std::string> output;
    std::optional<uint64_t> seed;
    std::optional<uint32_t> threads;
    bool resume = false;
    bool overwrite = false;  // replace a run already in the output folder (see util/run_lock.hpp)
    bool quiet = false;

    // --output/--seed/--threads as "--set" assignments, applied after the others.
    std::vector<std::string> overrides() const;
};

// `text` (the value of `option`) as a whole number in 0..max. Program_options would
// read "-5" into an unsigned as 2^64 - 5; this refuses it, and anything not all digits,
// with "--seed -5: expected a whole number from 0 to 9223372036854775807".
std::optional<uint64_t> parse_whole_number(const std::string& option, const std::string& text, uint64_t max,
                                           std::string& error);

// Adds --plugin-path to `desc`, writing into `paths`.
void add_plugin_path_option(po::options_description& desc, std::vector<std::string>& paths);

// Parses `args` against `desc` (+ positionals); prints usage and returns false on
// --help or a usage error (exit code in `exit_code`).
bool parse(const Args& args, const std::string& usage, po::options_description& desc,
           const po::positional_options_description& positional, po::variables_map& vm, int& exit_code);

// Scans the default plugin folders, then `extra` (from --plugin-path).
void scan_plugins(loader::PluginRegistry& registry, const std::vector<std::string>& extra,
                  const std::vector<std::filesystem::path>& more = {});

}  // namespace genhost::cli
