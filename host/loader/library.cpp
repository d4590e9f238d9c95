#include "loader/library.hpp"

#include <cstddef>
#include <dlfcn.h>

#include <mutex>

#include <boost/dll/shared_library.hpp>

#include "util/error.hpp"

namespace genhost::loader {

namespace {

// dlopen/dlclose are not re-entrant with a library's own constructors; load and unload
// under one lock (Boost.DLL's advice).
std::mutex& load_mutex() {
    static std::mutex m;
    return m;
}

std::string version_string(genhost_version v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

std::string describe(const genhost_plugin_descriptor* d, uint32_t index) {
    return "plugin #" + std::to_string(index) + (d && d->id ? " ('" + std::string(d->id) + "')" : "");
}

PluginDescription check_descriptor(const genhost_plugin_descriptor* d, uint32_t index) {
    if (!d) throw Error("descriptor of plugin #" + std::to_string(index) + " is NULL");
    const std::string who = describe(d, index);
    if (!GENHOST_STRUCT_HAS(d, genhost_plugin_descriptor, GENHOST_PLUGIN_DESCRIPTOR_V1_0_LAST))
        throw Error(who + ": descriptor struct_size " + std::to_string(d->struct_size) + ", smaller than ABI 1.0's " +
                    std::to_string(GENHOST_STRUCT_SIZE_THROUGH(genhost_plugin_descriptor, GENHOST_PLUGIN_DESCRIPTOR_V1_0_LAST)));
    std::vector<std::string> missing;
    if (!d->id || !*d->id) missing.push_back("id");
    if (!d->name) missing.push_back("name");
    if (!d->version) missing.push_back("version");
    if (!d->description) missing.push_back("description");
    if (!d->features) missing.push_back("features");
    if (!d->params_schema) missing.push_back("params_schema");
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        throw Error(who + ": required descriptor fields are NULL or empty: " + list);
    }
    PluginDescription p;
    p.descriptor = d;
    p.id = d->id, p.name = d->name, p.version = d->version, p.description = d->description;
    p.vendor = d->vendor ? d->vendor : "";
    p.kind = kind_name(d->kind);
    if (p.kind.empty())
        throw Error(who + ": kind " + std::to_string(d->kind) + " is not a GENHOST_PLUGIN_KIND_* value");
    for (const char* const* f = d->features; *f; ++f) {
        if (p.features.size() > 256) throw Error(who + ": features list is not NULL-terminated");
        p.features.push_back(*f);
    }
    try {
        p.params_schema = nlohmann::json::parse(d->params_schema);
    } catch (const std::exception& e) {
        throw Error(who + ": params_schema is not valid JSON: " + e.what());
    }
    if (!p.params_schema.is_object() || (p.params_schema.contains("properties") && !p.params_schema["properties"].is_object()))
        throw Error(who + ": params_schema must be a JSON object with a \"properties\" object");
    if (p.params_schema.contains("properties"))
        for (auto it = p.params_schema["properties"].begin(); it != p.params_schema["properties"].end(); ++it)
            if (!it->is_object() || !it->contains("default"))
                throw Error(who + ": parameter '" + it.key() + "' in params_schema has no \"default\"");
    return p;
}

}  // namespace

struct PluginLibrary::Handle {
    boost::dll::shared_library library;
};

const char* kind_name(uint32_t kind) {
    switch (kind) {
        case GENHOST_PLUGIN_KIND_MODEL: return "model";
        case GENHOST_PLUGIN_KIND_SCHEDULER: return "scheduler";
        case GENHOST_PLUGIN_KIND_METRIC: return "metric";
        default: return "";
    }
}

PluginLibrary::PluginLibrary(std::filesystem::path path, std::unique_ptr<Handle> handle)
    : path_(std::move(path)), handle_(std::move(handle)) {}

PluginLibrary::~PluginLibrary() {
    std::lock_guard<std::mutex> lock(load_mutex());
    if (initialized_ && entry_->deinit) entry_->deinit();
    handle_.reset();
}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& path) {
    const std::string file = path.string();
    auto handle = std::make_unique<Handle>();
    std::shared_ptr<PluginLibrary> lib;
    {
        std::lock_guard<std::mutex> lock(load_mutex());
        try {
            // rtld_local: two plugins never see each other's symbols.
            handle->library.load(path.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
            // Keep the code mapped until the process ends, even after deinit and dlclose: a
            // plugin's thread pool (OpenMP, OpenBLAS) may still be running it at exit.
            dlopen(path.string().c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
        } catch (const std::exception& e) {
            throw Error(file + ": cannot load the library: " + e.what());
        }
        if (!handle->library.has(GENHOST_ENTRY_SYMBOL))
            throw Error(file + ": not a genhost plugin: it does not export the symbol '" GENHOST_ENTRY_SYMBOL
                        "' (define it with GENHOST_PLUGINS(...) or as shown in genhost/entry.h)");
        const auto& entry = handle->library.get<const genhost_library_entry>(GENHOST_ENTRY_SYMBOL);
        lib.reset(new PluginLibrary(path, std::move(handle)));
        lib->entry_ = &entry;
    }
    const genhost_library_entry& entry = *lib->entry_;
    lib->abi_version_ = entry.abi_version;
    const genhost_version ours = GENHOST_ABI_VERSION_INIT;
    if (!genhost_version_is_compatible(entry.abi_version))
        throw Error(file + ": built for genhost ABI " + version_string(entry.abi_version) + ", but this genhost speaks ABI " +
                    version_string(ours) + "; major versions must match. Rebuild the plugin against genhost SDK " +
                    std::to_string(ours.major) + ".x");
    if (!GENHOST_STRUCT_HAS(&entry, genhost_library_entry, GENHOST_LIBRARY_ENTRY_V1_0_LAST))
        throw Error(file + ": genhost_entry.struct_size is " + std::to_string(entry.struct_size) +
                    ", smaller than ABI 1.0's " +
                    std::to_string(GENHOST_STRUCT_SIZE_THROUGH(genhost_library_entry, GENHOST_LIBRARY_ENTRY_V1_0_LAST)));
    if (!entry.get_factory) throw Error(file + ": genhost_entry.get_factory is NULL, but it is required");

    if (entry.init) {
        std::lock_guard<std::mutex> lock(load_mutex());
        if (!entry.init(file.c_str())) throw Error(file + ": the plugin's init() failed");
    }
    lib->initialized_ = true;

    auto factory = static_cast<const genhost_plugin_factory*>(entry.get_factory(GENHOST_PLUGIN_FACTORY_ID));
    if (!factory) throw Error(file + ": get_factory(\"" GENHOST_PLUGIN_FACTORY_ID "\") returned NULL");
    if (!GENHOST_STRUCT_HAS(factory, genhost_plugin_factory, GENHOST_PLUGIN_FACTORY_V1_0_LAST))
        throw Error(file + ": plugin factory struct_size " + std::to_string(factory->struct_size) + ", smaller than ABI 1.0's " +
                    std::to_string(GENHOST_STRUCT_SIZE_THROUGH(genhost_plugin_factory, GENHOST_PLUGIN_FACTORY_V1_0_LAST)));
    std::string null_slots;
    for (auto [name, missing] : {std::pair{"plugin_count", !factory->plugin_count},
                                 {"get_descriptor", !factory->get_descriptor}, {"create", !factory->create}})
        if (missing) null_slots += (null_slots.empty() ? "" : ", ") + std::string(name);
    if (!null_slots.empty()) throw Error(file + ": the plugin factory has NULL required slots: " + null_slots);
    lib->factory_ = factory;

    const uint32_t count = factory->plugin_count(factory);
    if (count > 1024) throw Error(file + ": plugin_count() returned " + std::to_string(count) + ", which is absurd");
    // One bad descriptor (say, a kind from a newer ABI) costs that plugin, not its neighbours.
    for (uint32_t i = 0; i < count; ++i) {
        try {
            lib->plugins_.push_back(check_descriptor(factory->get_descriptor(factory, i), i));
        } catch (const Error& e) {
            lib->problems_.push_back(file + ": " + e.what());
        }
    }
    if (lib->plugins_.empty() && !lib->problems_.empty()) throw Error(lib->problems_.front());
    return lib;
}

}  // namespace genhost::loader
