// Drives scheduler plugins through the C ABI, as the host does, for the tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <genhost/genhost.h>

#include "loader/instance.hpp"

namespace genhost::test {

// A scheduler plugin instance from the build's plugin folder (org.genhost.<name>).
class SchedulerUnderTest {
public:
    SchedulerUnderTest(const std::string& name, const nlohmann::json& params = nlohmann::json::object());

    const genhost_scheduler& table() const { return *table_; }
    genhost_plugin* raw() const { return instance_->raw(); }
    const loader::PluginDescription& description() const { return instance_->description(); }

    std::vector<float> alphas_cumprod() const;
    void set_timesteps(uint32_t n);
    std::vector<float> timesteps() const;
    float init_noise_sigma() const;
    // shape [N, C, H, W]; returns the model input / prev_sample.
    std::vector<float> scale_model_input(uint32_t step_index, std::vector<float> sample,
                                         std::vector<int64_t> shape) const;
    std::vector<float> step(uint32_t step_index, std::vector<float> model_output, std::vector<float> sample,
                            uint64_t seed, std::vector<int64_t> shape) const;
    // The raw status of a step, and the plugin's message, for error tests.
    genhost_status try_step(uint32_t step_index, std::vector<float> model_output, std::vector<float> sample,
                            std::vector<int64_t> shape, std::vector<int64_t> out_shape, std::string& error) const;
    std::string last_error() const;

private:
    std::unique_ptr<loader::PluginInstance> instance_;
    const genhost_scheduler* table_ = nullptr;
};

// Creates a scheduler and returns the creation error ("" when it succeeds).
std::string creation_error(const std::string& name, const nlohmann::json& params);

nlohmann::json golden(const std::string& file);  // golden/<file>

// Every |actual - expected| <= rel * max(|expected|, floor).
bool close(const std::vector<float>& actual, const std::vector<double>& expected, double rel,
           double floor = 1e-6);
std::string describe_mismatch(const std::vector<float>& actual, const std::vector<double>& expected);

}  // namespace genhost::test
