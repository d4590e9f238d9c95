#include "cli/options.hpp"

#include <charconv>
#include <iostream>

namespace genhost::cli {

std::vector<std::string> PipelineOptions::overrides() const {
    std::vector<std::string> all = sets;
    if (output) all.push_back("output=\"" + *output + "\"");
    if (seed) all.push_back("seed=" + std::to_string(*seed));
    if (threads) all.push_back("threads=" + std::to_string(*threads));
    return all;
}

std::optional<uint64_t> parse_whole_number(const std::string& option, const std::string& text, uint64_t max,
                                           std::string& error) {
    uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || stop != end ||
        ec == std::errc::result_out_of_range || value > max) {
        error = "--" + option + " " + text + ": expected a whole number from 0 to " + std::to_string(max);
        return std::nullopt;
    }
    return value;
}

void add_plugin_path_option(po::options_description& desc, std::vector<std::string>& paths) {
    desc.add_options()("plugin-path", po::value(&paths)->composing(),
                       "an extra folder of plugin libraries (repeatable); searched after the built-in folder "
                       "and GENHOST_PLUGIN_PATH");
}

bool parse(const Args& args, const std::string& usage, po::options_description& desc,
           const po::positional_options_description& positional, po::variables_map& vm, int& exit_code) {
    desc.add_options()("help,h", "show this help");
    try {
        po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
        if (vm.count("help")) {
            std::cout << usage << "\n\n" << desc << "\n";
            exit_code = 0;
            return false;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "genhost: " << e.what() << "\n\n" << usage << "\n(--help for every option)\n";
        exit_code = 2;
        return false;
    }
    return true;
}

void scan_plugins(loader::PluginRegistry& registry, const std::vector<std::string>& extra,
                  const std::vector<std::filesystem::path>& more) {
    std::vector<std::filesystem::path> folders = loader::default_plugin_folders();
    // A folder named but missing is most likely a typo: say so, as for --plugin-path.
    const auto warn = [](const std::string& from, const std::filesystem::path& p) {
        std::error_code ec;
        if (!std::filesystem::is_directory(p, ec))
            std::cerr << "genhost: warning: " << from << " " << p << " is not a folder\n";
    };
    for (const auto& p : loader::env_plugin_folders()) warn("GENHOST_PLUGIN_PATH entry", p);
    for (const auto& p : extra) {
        warn("--plugin-path", p);
        folders.emplace_back(p);
    }
    for (const auto& p : more) warn("plugin_paths entry", p);
    folders.insert(folders.end(), more.begin(), more.end());
    registry.scan(folders);
}

}  // namespace genhost::cli
