#include "loader/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include <boost/dll/runtime_symbol_info.hpp>
#include <genhost/cpp/schema.hpp>

#include "util/error.hpp"

namespace genhost::loader {

namespace fs = std::filesystem;

std::vector<fs::path> default_plugin_folders() {
    std::vector<fs::path> folders;
    std::error_code ec;
    fs::path exe = boost::dll::program_location(ec).string();
    if (!ec) folders.push_back(exe.parent_path().parent_path() / GENHOST_PLUGIN_SUBDIR);
    for (auto& f : env_plugin_folders()) folders.push_back(std::move(f));
    return folders;
}

std::vector<fs::path> env_plugin_folders() {
    std::vector<fs::path> folders;
    if (const char* env = std::getenv("GENHOST_PLUGIN_PATH")) {
        std::string list = env;
        size_t start = 0;
        while (start <= list.size()) {
            size_t end = list.find(':', start);
            if (end == std::string::npos) end = list.size();
            if (end > start) folders.emplace_back(list.substr(start, end - start));
            start = end + 1;
        }
    }
    return folders;
}

void PluginRegistry::scan(const std::vector<fs::path>& folders) {
    for (const auto& folder : folders) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(folder, ec))
            if (e.path().extension() == ".so" && e.is_regular_file(ec)) files.push_back(e.path());
        std::sort(files.begin(), files.end());  // the same order on every machine
        for (const auto& f : files) add_file(f);
    }
}

void PluginRegistry::add_file(const fs::path& file) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(file, ec);
    if (ec) canonical = file;
    if (std::find(seen_.begin(), seen_.end(), canonical) != seen_.end()) return;  // listed twice
    seen_.push_back(canonical);
    std::shared_ptr<PluginLibrary> lib;
    try {
        lib = PluginLibrary::load(canonical);
    } catch (const std::exception& e) {
        problems_.push_back({canonical, e.what()});
        return;
    }
    libraries_.push_back(lib);
    for (const auto& skipped : lib->problems()) problems_.push_back({lib->path(), skipped});
    for (const auto& p : lib->plugins()) {
        auto [it, inserted] = plugins_.emplace(p.id, RegisteredPlugin{&p, lib});
        if (!inserted) {
            auto& files = duplicates_[p.id];
            if (files.empty()) files.push_back(it->second.library->path());
            files.push_back(lib->path());
            problems_.push_back({lib->path(), lib->path().string() + ": plugin id '" + p.id + "' is also offered by " +
                                                  it->second.library->path().string() +
                                                  "; remove one of the two files"});
        }
    }
}

std::string PluginRegistry::resolve(const std::string& name) const {
    if (plugins_.count(name)) return name;
    if (plugins_.count("org.genhost." + name)) return "org.genhost." + name;
    std::string found;
    for (const auto& [id, p] : plugins_) {
        if (id.size() > name.size() && id.compare(id.size() - name.size(), name.size(), name) == 0 &&
            id[id.size() - name.size() - 1] == '.') {
            if (!found.empty()) return "";  // ambiguous
            found = id;
        }
    }
    return found;
}

const RegisteredPlugin& PluginRegistry::find(const std::string& name) const {
    std::string id = resolve(name);
    if (id.empty()) {
        std::vector<std::string> candidates;
        std::string matches;
        for (const auto& [pid, p] : plugins_) {
            candidates.push_back(pid);
            auto dot = pid.rfind('.');
            if (dot != std::string::npos) {
                candidates.push_back(pid.substr(dot + 1));
                if (pid.substr(dot + 1) == name) matches += (matches.empty() ? "" : ", ") + pid;
            }
        }
        if (!matches.empty())
            throw Error("plugin name '" + name + "' is ambiguous: it could be " + matches + "; write the full id");
        std::string message = "no plugin '" + name + "' was found";
        std::string hint = schema::closest(name, candidates);
        if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
        message += "; `genhost plugins` lists the plugins found, and --plugin-path adds a folder";
        // The plugin may be in a library that failed to load: say which did, and why.
        for (const auto& p : problems_) message += "\n  not loaded: " + p.message;
        throw Error(message);
    }
    if (auto d = duplicates_.find(id); d != duplicates_.end()) {
        std::string files;
        for (const auto& f : d->second) files += "\n  " + f.string();
        throw Error("plugin id '" + id + "' is offered by more than one file:" + files + "\nremove all but one");
    }
    return plugins_.at(id);
}

std::vector<const RegisteredPlugin*> PluginRegistry::plugins() const {
    std::vector<const RegisteredPlugin*> out;
    for (const auto& [id, p] : plugins_) out.push_back(&p);
    return out;
}

std::vector<std::string> PluginRegistry::ids() const {
    std::vector<std::string> out;
    for (const auto& [id, p] : plugins_) out.push_back(id);
    return out;
}

}  // namespace genhost::loader
