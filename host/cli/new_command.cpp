// genhost new scheduler|metric|model NAME [--lang c|c++] [--dir DIR]: writes a plugin
// project that builds against the installed SDK, like `cargo new`.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/new_templates.hpp"
#include "cli/options.hpp"

namespace genhost::cli {

namespace {

namespace fs = std::filesystem;

// my-sampler -> my_sampler (C identifier), MySampler (C++ class).
std::string identifier(const std::string& name) {
    std::string s = name;
    for (char& c : s)
        if (c == '-') c = '_';
    return s;
}
std::string class_name(const std::string& name) {
    std::string s;
    bool upper = true;
    for (char c : name) {
        if (c == '-' || c == '_') {
            upper = true;
            continue;
        }
        s += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return s;
}

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || !std::islower(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
            return false;
    return name.back() != '-';
}

// The prefix this genhost is installed in, when it has the SDK (lib/cmake/genhost).
std::string install_prefix() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path prefix = exe.parent_path().parent_path();
        for (const char* lib : {"lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"})
            if (fs::exists(prefix / lib / "cmake" / "genhost" / "genhostConfig.cmake")) return prefix.string();
    }
    return "/where/genhost/is/installed";
}

std::string substitute(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [key, value] : values)
        for (size_t at = 0; (at = text.find(key, at)) != std::string::npos; at += value.size())
            text.replace(at, key.size(), value);
    return text;
}

}  // namespace

int new_command(const Args& args) {
    std::string kind, name, lang = "c++", dir;
    po::options_description desc("Options");
    desc.add_options()("kind", po::value(&kind), "scheduler, metric or model")("name", po::value(&name),
                                                                                 "the plugin's short name")(
        "lang", po::value(&lang)->default_value("c++"), "c++ (the C++ helper) or c (the C ABI only)")(
        "dir", po::value(&dir), "the project folder (default: ./NAME)");
    po::positional_options_description pos;
    pos.add("kind", 1).add("name", 1);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, "Usage: genhost new scheduler|metric|model NAME [--lang c|c++] [--dir DIR]\n"
                     "Writes a plugin project that builds against the installed genhost SDK: CMakeLists.txt,\n"
                     "the source with every slot and its thread rule, a pipeline that uses it, and a README\n"
                     "with the build, check and run commands.",
               desc, pos, vm, code))
        return code;
    if (kind != "scheduler" && kind != "metric" && kind != "model") {
        std::cerr << "genhost new: the kind must be scheduler, metric or model" << (kind.empty() ? "" : ", not '" + kind + "'")
                  << "\n";
        return 2;
    }
    if (!valid_name(name)) {
        std::cerr << "genhost new: the name must be lowercase letters, digits and '-', starting with a letter"
                  << (name.empty() ? " (none given)" : ", not '" + name + "'") << "; e.g. my-" << kind << "\n";
        return 2;
    }
    if (lang != "c" && lang != "c++" && lang != "cpp") {
        std::cerr << "genhost new: --lang must be c or c++, not '" << lang << "'\n";
        return 2;
    }
    const fs::path folder = dir.empty() ? fs::path(name) : fs::path(dir);
    std::error_code ec;
    if (fs::exists(folder, ec) && !(fs::is_directory(folder, ec) && fs::is_empty(folder, ec))) {
        std::cerr << "genhost new: " << folder.string() << " already exists and is not an empty folder; "
                  << "choose another NAME or --dir\n";
        return 1;
    }
    const std::vector<std::pair<std::string, std::string>> values = {
        {"@NAME@", name}, {"@IDENT@", identifier(name)}, {"@CLASS@", class_name(name)},
        {"@ID@", "com.example." + name}, {"@PREFIX@", install_prefix()}};
    fs::create_directories(folder, ec);
    if (ec) {
        std::cerr << "genhost new: cannot create " << folder.string() << ": " << ec.message() << "\n";
        return 1;
    }
    for (const auto& file : project_template(kind, lang == "c")) {
        const fs::path path = folder / substitute(file.path, values);
        std::ofstream out(path);
        out << substitute(file.text, values);
        if (!out) {
            std::cerr << "genhost new: cannot write " << path.string() << "\n";
            return 1;
        }
        std::cout << "  wrote " << path.string() << "\n";
    }
    std::cout << "Created " << (lang == "c" ? "C" : "C++") << " " << kind << " plugin '" << name << "' in "
              << folder.string() << ". Next:\n"
              << "  cd " << folder.string() << "\n"
              << "  cmake -S . -B build -DCMAKE_PREFIX_PATH=" << install_prefix() << " && cmake --build build\n"
              << "  genhost check " << name << " --plugin-path build\n";
    return 0;
}

}  // namespace genhost::cli
