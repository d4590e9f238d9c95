// genhost/cpp/plugin.hpp: write a genhost plugin as a C++ class.
//
// The helper generates the C tables of the ABI (genhost/genhost.h) from a class:
// exceptions become status codes and error messages, params are parsed and
// validated against the schema you declare, and capabilities are the base classes
// the class derives from (genhost/cpp/capabilities.hpp). genhost's own plugins are
// written with it; nothing here is private to them.
//
//   #include <genhost/cpp/plugin.hpp>
//
//   class Noise : public genhost::Generator {
//   public:
//       static genhost::PluginInfo info() {
//           return {GENHOST_PLUGIN_KIND_MODEL, "com.example.noise", "Uniform noise", "1.0.0",
//                   "Example Inc.", "Draws uniform noise images; a template to start from.",
//                   {"example"},
//                   genhost::ParamSchema().integer("size", 28, "image height and width", 1, 1024)};
//       }
//       explicit Noise(const genhost::Context& context)
//           : size_(context.params.integer("size")) {}
//
//       std::array<int64_t, 3> sample_shape() const override { return {1, size_, size_}; }
//       void generate(const genhost::SampleRequest& request,
//                     const genhost::MutableTensorView& out) override {
//           out.expect_shape({-1, 1, size_, size_}, "samples");
//           genhost::engine::Generator rng(request.seed);   // portable: same numbers everywhere
//           genhost::engine::Tensor u = rng.uniform(out.shape());
//           std::copy(u.data(), u.data() + u.numel(), out.data());
//       }
//   private:
//       int64_t size_;
//   };
//
//   GENHOST_PLUGINS(Noise)   // at global scope, once per library; lists every class
//
// Build it with genhost_add_plugin() from find_package(genhost) (docs/plugin-guide.md).
#pragma once

#include <string>
#include <vector>

#include <genhost/cpp/capabilities.hpp>
#include <genhost/cpp/context.hpp>
#include <genhost/cpp/detail/adapter.hpp>
#include <genhost/cpp/schema.hpp>
#include <genhost/cpp/tensor_view.hpp>

namespace genhost {

// What a plugin class says about itself (its `static PluginInfo info()`).
struct PluginInfo {
    uint32_t kind = GENHOST_PLUGIN_KIND_MODEL;  // GENHOST_PLUGIN_KIND_*
    std::string id;                             // reverse-DNS, unique
    std::string name;
    std::string version;
    std::string vendor;
    std::string description;
    std::vector<std::string> features;
    ParamSchema params;
};

namespace detail {

template <class T>
const DescriptorStore* descriptor_store() noexcept {
    static const DescriptorStore* store = []() -> const DescriptorStore* {
        try {
            static DescriptorStore s;
            PluginInfo info = T::info();
            s.id = info.id, s.name = info.name, s.version = info.version;
            s.vendor = info.vendor, s.description = info.description;
            s.schema_json = info.params.json();
            s.schema = s.schema_json.dump();
            s.feature_strings = info.features;
            for (const auto& f : s.feature_strings) s.features.push_back(f.c_str());
            s.features.push_back(nullptr);
            s.descriptor = genhost_plugin_descriptor{sizeof(genhost_plugin_descriptor), info.kind, s.id.c_str(),
                                                     s.name.c_str(), s.version.c_str(),
                                                     s.vendor.empty() ? nullptr : s.vendor.c_str(),
                                                     s.description.c_str(), s.features.data(), s.schema.c_str()};
            return &s;
        } catch (...) {
            return nullptr;  // the host reports a NULL descriptor for this index
        }
    }();
    return store;
}

}  // namespace detail
}  // namespace genhost

// Defines the library's entry point over the plugin classes given. Use once per
// library, at global scope.
#define GENHOST_PLUGINS(...)                                                              \
    extern "C" GENHOST_EXPORT const genhost_library_entry genhost_entry = {               \
        GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), nullptr, nullptr,        \
        &::genhost::detail::Library<__VA_ARGS__>::get_factory}
