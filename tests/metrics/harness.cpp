#include "harness.hpp"

#include <cmath>
#include <fstream>
#include <random>
#include <stdexcept>

#include <genhost/cpp/tensor_view.hpp>

#include "loader/registry.hpp"

namespace genhost::test {

namespace {

const loader::PluginRegistry& registry() {
    static const loader::PluginRegistry r = [] {
        loader::PluginRegistry reg;
        reg.scan({GENHOST_METRIC_PLUGIN_DIR});
        return reg;
    }();
    return r;
}

}  // namespace

Matrix Matrix::slice(int64_t first, int64_t count) const {
    const int64_t c = cols();
    return {std::vector<float>(values.begin() + first * c, values.begin() + (first + count) * c), {count, c}};
}

MetricUnderTest::MetricUnderTest(const std::string& name, const nlohmann::json& params) {
    loader::HostServices services;
    auto warnings = warnings_;
    services.log = [warnings](const std::string&, int32_t level, const std::string& message) {
        if (level >= GENHOST_LOG_WARNING) warnings->push_back(message);
    };
    instance_ = loader::PluginInstance::create(registry().find("org.genhost." + name), params, nullptr, services);
    table_ = instance_->metric();
    if (!table_) throw std::runtime_error(name + " has no metric table");
    if (!loader::PluginInstance::update_features(table_)) throw std::runtime_error(name + " has no update_features");
}

std::vector<std::string> MetricUnderTest::value_names() const {
    std::vector<std::string> names;
    for (uint32_t i = 0; i < table_->value_count(instance_->raw()); ++i)
        names.push_back(table_->value_name(instance_->raw(), i));
    return names;
}

void MetricUnderTest::reset() { instance_->check(table_->reset(instance_->raw()), "reset"); }

genhost_status MetricUnderTest::try_update(uint32_t set, const Matrix& features,
                                           const std::optional<Matrix>& probabilities, std::string& error) {
    Matrix f = features;
    std::optional<Matrix> p = probabilities;
    DLTensor tf = make_dltensor(f.values.data(), f.shape), tp{};
    if (p) tp = make_dltensor(p->values.data(), p->shape);
    const genhost_status status = table_->update_features(instance_->raw(), set, &tf, p ? &tp : nullptr);
    const char* message = instance_->raw()->last_error(instance_->raw());
    error = status < 0 && message ? message : "";
    return status;
}

void MetricUnderTest::update(uint32_t set, const Matrix& features, const std::optional<Matrix>& probabilities) {
    std::string error;
    if (try_update(set, features, probabilities, error) < 0) throw std::runtime_error("update_features: " + error);
}

void MetricUnderTest::update_in_batches(uint32_t set, const Matrix& features, int64_t batch,
                                        const std::optional<Matrix>& probabilities) {
    for (int64_t first = 0; first < features.rows(); first += batch) {
        const int64_t count = std::min(batch, features.rows() - first);
        std::optional<Matrix> p;
        if (probabilities) p = probabilities->slice(first, count);
        update(set, features.slice(first, count), p);
    }
}

genhost_status MetricUnderTest::try_compute(std::string& error) {
    std::vector<double> values(table_->value_count(instance_->raw()));
    const genhost_status status = table_->compute(instance_->raw(), values.data());
    const char* message = instance_->raw()->last_error(instance_->raw());
    error = status < 0 && message ? message : "";
    return status;
}

std::vector<double> MetricUnderTest::compute() {
    std::vector<double> values(table_->value_count(instance_->raw()));
    instance_->check(table_->compute(instance_->raw(), values.data()), "compute");
    return values;
}

nlohmann::json golden() {
    std::ifstream in(std::string(GENHOST_METRIC_GOLDEN_DIR) + "/metrics.json");
    if (!in) throw std::runtime_error("missing golden/metrics.json; run tests/metrics/make_golden.py");
    return nlohmann::json::parse(in);
}

Matrix matrix(const nlohmann::json& rows) {
    Matrix m{{}, {static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows.at(0).size())}};
    for (const auto& row : rows)
        for (const auto& v : row) m.values.push_back(static_cast<float>(v.get<double>()));
    return m;
}

Matrix normal_matrix(int64_t rows, int64_t cols, uint64_t seed, double mean, double sigma) {
    std::mt19937_64 engine(seed);
    std::normal_distribution<double> normal(mean, sigma);
    Matrix m{std::vector<float>(static_cast<size_t>(rows * cols)), {rows, cols}};
    for (float& v : m.values) v = static_cast<float>(normal(engine));
    return m;
}

bool close(double actual, double expected, double rel) {
    return std::fabs(actual - expected) <= rel * (expected == 0.0 ? 1.0 : std::fabs(expected));
}

}  // namespace genhost::test
