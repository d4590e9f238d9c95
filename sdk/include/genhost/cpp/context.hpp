// genhost/cpp/context.hpp: what a C++ plugin gets when it is created.
//
// A plugin class has a constructor taking `const genhost::Context&`: the host's
// services, the validated params (defaults filled in) and what the data looks like.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <genhost/host.h>
#include <genhost/plugin.h>
#include <genhost/status.h>

namespace genhost {

// Throw this to fail with a specific status; other exceptions map as follows:
// std::invalid_argument / std::out_of_range -> GENHOST_ERROR_INVALID_ARGUMENT,
// std::bad_alloc -> GENHOST_ERROR_OUT_OF_MEMORY, anything else -> GENHOST_ERROR_INTERNAL.
class PluginError : public std::runtime_error {
public:
    PluginError(genhost_status status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    genhost_status status() const { return status_; }

private:
    genhost_status status_;
};

// The host's services. Valid for the whole life of the plugin instance.
class Host {
public:
    explicit Host(const genhost_host* host) : host_(host) {}
    uint64_t seed() const { return host_->seed; }
    uint32_t num_threads() const { return host_->num_threads ? host_->num_threads : 1; }
    void log(int32_t level, const std::string& message) const { host_->log(host_, level, message.c_str()); }
    void info(const std::string& message) const { log(GENHOST_LOG_INFO, message); }
    void warn(const std::string& message) const { log(GENHOST_LOG_WARNING, message); }
    const void* service(const char* id) const { return host_->get_service(host_, id); }
    const genhost_host* raw() const { return host_; }

private:
    const genhost_host* host_;
};

// The validated params of one instance, typed access by name.
class Params {
public:
    explicit Params(nlohmann::json values) : values_(std::move(values)) {}
    int64_t integer(const std::string& name) const { return get(name).get<int64_t>(); }
    double number(const std::string& name) const { return get(name).get<double>(); }
    bool boolean(const std::string& name) const { return get(name).get<bool>(); }
    std::string string(const std::string& name) const { return get(name).get<std::string>(); }
    std::vector<int64_t> integers(const std::string& name) const { return get(name).get<std::vector<int64_t>>(); }
    std::vector<double> numbers(const std::string& name) const { return get(name).get<std::vector<double>>(); }
    bool has(const std::string& name) const { return values_.contains(name) && !values_[name].is_null(); }
    const nlohmann::json& json() const { return values_; }

private:
    const nlohmann::json& get(const std::string& name) const {
        auto it = values_.find(name);
        if (it == values_.end()) throw std::invalid_argument("no parameter named '" + name + "'");
        return *it;
    }
    nlohmann::json values_;
};

// What the model will see; `known` is false for schedulers, metrics, and models
// created without data.
struct DataInfo {
    bool known = false;
    int64_t channels = 0, height = 0, width = 0;
    int64_t num_classes = 0;
    float range_min = 0.0f, range_max = 1.0f;
    int64_t domains = 1;  // 2: two data domains, a in Batch::images and b in Batch::images_b (ABI 1.4)
};

struct Context {
    Host host;
    Params params;
    DataInfo data;
};

}  // namespace genhost
