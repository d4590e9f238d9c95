// Drives metric plugins through the C ABI, as the host does, for the tests.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <genhost/genhost.h>

#include "loader/instance.hpp"

namespace genhost::test {

// Row-major [rows, cols] float32 values, the shape of a features or probabilities batch.
struct Matrix {
    std::vector<float> values;
    std::vector<int64_t> shape;  // usually {rows, cols}; any shape for error tests
    int64_t rows() const { return shape.at(0); }
    int64_t cols() const { return shape.at(1); }
    Matrix slice(int64_t first, int64_t count) const;  // rows [first, first + count)
};

// A metric plugin instance from the build's plugin folder (org.genhost.<name>), with
// the warnings it logged.
class MetricUnderTest {
public:
    MetricUnderTest(const std::string& name, const nlohmann::json& params = nlohmann::json::object());

    std::vector<std::string> value_names() const;
    void reset();
    // Throws with the plugin's message when update_features fails.
    void update(uint32_t set, const Matrix& features, const std::optional<Matrix>& probabilities = std::nullopt);
    // The whole set, in batches of `batch` rows (and the matching probability rows).
    void update_in_batches(uint32_t set, const Matrix& features, int64_t batch,
                           const std::optional<Matrix>& probabilities = std::nullopt);
    std::vector<double> compute();
    // The raw status and the plugin's message ("" on success), for error tests.
    genhost_status try_update(uint32_t set, const Matrix& features, const std::optional<Matrix>& probabilities,
                              std::string& error);
    genhost_status try_compute(std::string& error);

    const std::vector<std::string>& warnings() const { return *warnings_; }

private:
    std::shared_ptr<std::vector<std::string>> warnings_ = std::make_shared<std::vector<std::string>>();
    std::unique_ptr<loader::PluginInstance> instance_;
    const genhost_metric* table_ = nullptr;
};

nlohmann::json golden();  // golden/metrics.json
Matrix matrix(const nlohmann::json& rows);  // a list of rows of numbers, as float32

// Matrices of independent normal values (mean, sigma), from a fixed seed.
Matrix normal_matrix(int64_t rows, int64_t cols, uint64_t seed, double mean = 0.0, double sigma = 1.0);

// |actual - expected| <= rel * |expected| (or <= rel when expected is 0).
bool close(double actual, double expected, double rel = 1e-6);

}  // namespace genhost::test
