#include "harness.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <genhost/cpp/tensor_view.hpp>

#include "loader/registry.hpp"
#include "util/error.hpp"

namespace genhost::test {

namespace {

const loader::PluginRegistry& registry() {
    static const loader::PluginRegistry r = [] {
        loader::PluginRegistry reg;
        reg.scan({GENHOST_SCHEDULER_PLUGIN_DIR});
        return reg;
    }();
    return r;
}

loader::HostServices quiet() {
    loader::HostServices s;
    s.log = [](const std::string&, int32_t, const std::string&) {};
    return s;
}

}  // namespace

SchedulerUnderTest::SchedulerUnderTest(const std::string& name, const nlohmann::json& params) {
    instance_ = loader::PluginInstance::create(registry().find("org.genhost." + name), params, nullptr, quiet());
    table_ = instance_->scheduler();
    if (!table_) throw std::runtime_error(name + " has no scheduler table");
}

std::string creation_error(const std::string& name, const nlohmann::json& params) {
    try {
        SchedulerUnderTest s(name, params);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

std::vector<float> SchedulerUnderTest::alphas_cumprod() const {
    std::vector<float> a(table_->num_train_timesteps(raw()));
    instance_->check(table_->get_alphas_cumprod(raw(), a.data(), static_cast<uint32_t>(a.size())),
                     "get_alphas_cumprod");
    return a;
}

void SchedulerUnderTest::set_timesteps(uint32_t n) { instance_->check(table_->set_timesteps(raw(), n), "set_timesteps"); }

std::vector<float> SchedulerUnderTest::timesteps() const {
    std::vector<float> t(table_->timestep_count(raw()));
    instance_->check(table_->get_timesteps(raw(), t.data(), static_cast<uint32_t>(t.size())), "get_timesteps");
    return t;
}

float SchedulerUnderTest::init_noise_sigma() const { return table_->init_noise_sigma(raw()); }

std::vector<float> SchedulerUnderTest::scale_model_input(uint32_t i, std::vector<float> sample,
                                                         std::vector<int64_t> shape) const {
    if (!table_->scale_model_input) return sample;
    std::vector<float> out(sample.size());
    DLTensor in = make_dltensor(sample.data(), shape);
    DLTensor o = make_dltensor(out.data(), shape);
    instance_->check(table_->scale_model_input(raw(), i, &in, &o), "scale_model_input");
    return out;
}

std::vector<float> SchedulerUnderTest::step(uint32_t i, std::vector<float> model_output, std::vector<float> sample,
                                            uint64_t seed, std::vector<int64_t> shape) const {
    std::vector<float> prev(sample.size());
    DLTensor out = make_dltensor(model_output.data(), shape);
    DLTensor x = make_dltensor(sample.data(), shape);
    DLTensor p = make_dltensor(prev.data(), shape);
    genhost_scheduler_step args{sizeof(genhost_scheduler_step), i, &out, &x, seed, nullptr};
    instance_->check(table_->step(raw(), &args, &p), "step");
    return prev;
}

genhost_status SchedulerUnderTest::try_step(uint32_t i, std::vector<float> model_output, std::vector<float> sample,
                                            std::vector<int64_t> shape, std::vector<int64_t> out_shape,
                                            std::string& error) const {
    int64_t count = 1;
    for (int64_t d : out_shape) count *= d;
    std::vector<float> prev(static_cast<size_t>(count));
    std::vector<int64_t> output_shape = shape;
    DLTensor out = make_dltensor(model_output.data(), output_shape);
    DLTensor x = make_dltensor(sample.data(), shape);
    DLTensor p = make_dltensor(prev.data(), out_shape);
    genhost_scheduler_step args{sizeof(genhost_scheduler_step), i, &out, &x, 0, nullptr};
    genhost_status status = table_->step(raw(), &args, &p);
    error = status < 0 ? last_error() : "";
    return status;
}

std::string SchedulerUnderTest::last_error() const {
    const char* e = raw()->last_error(raw());
    return e ? e : "";
}

nlohmann::json golden(const std::string& file) {
    std::ifstream in(std::string(GENHOST_SCHEDULER_GOLDEN_DIR) + "/" + file);
    if (!in) throw std::runtime_error("missing golden file " + file + "; run tests/schedulers/make_golden.py");
    return nlohmann::json::parse(in);
}

bool close(const std::vector<float>& actual, const std::vector<double>& expected, double rel, double floor) {
    if (actual.size() != expected.size()) return false;
    for (size_t i = 0; i < actual.size(); ++i) {
        double tolerance = rel * std::max(std::fabs(expected[i]), floor);
        if (!(std::fabs(actual[i] - expected[i]) <= tolerance)) return false;
    }
    return true;
}

std::string describe_mismatch(const std::vector<float>& actual, const std::vector<double>& expected) {
    std::ostringstream s;
    s.precision(10);
    if (actual.size() != expected.size()) {
        s << "size " << actual.size() << " vs expected " << expected.size();
        return s.str();
    }
    double worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < actual.size(); ++i) {
        double r = std::fabs(actual[i] - expected[i]) / std::max(std::fabs(expected[i]), 1e-30);
        if (r > worst || std::isnan(actual[i])) worst = r, at = i;
    }
    s << "worst at [" << at << "]: got " << actual[at] << ", expected " << expected[at] << " (relative error "
      << worst << ")";
    return s.str();
}

}  // namespace genhost::test
