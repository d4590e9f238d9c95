// Helpers shared by the host/train tests: fixtures from make_fixtures.py, a toy model
// whose buffers back ParamSlots, and element-wise comparison with a useful failure message.
#pragma once

#include "train/option_map.hpp"
#include "train/param_slot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace genhost::train::test {

inline nlohmann::json load_fixture(const std::string& name) {
    const std::string path = std::string(GENHOST_TEST_DATA_DIR) + "/host/train/fixtures/" + name;
    std::ifstream in(path);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

// JSON option objects map onto OptionMap the way the pipeline YAML does.
inline OptionMap to_options(const nlohmann::json& j) {
    OptionMap out;
    for (const auto& [key, v] : j.items()) {
        if (v.is_boolean()) out[key] = v.get<bool>();
        else if (v.is_number()) out[key] = v.get<double>();
        else if (v.is_string()) out[key] = v.get<std::string>();
        else out[key] = v.get<std::vector<double>>();
    }
    return out;
}

// Parameter values and gradients owned by the test, viewed as slots.
struct Model {
    std::vector<std::string>        names;
    std::vector<std::vector<float>> values, grads;

    void add(const std::string& name, std::vector<float> value) {
        names.push_back(name);
        grads.emplace_back(value.size(), 0.0f);
        values.push_back(std::move(value));
    }
    std::vector<ParamSlot> slots() {
        std::vector<ParamSlot> out;
        for (std::size_t i = 0; i < names.size(); ++i)
            out.push_back({names[i], values[i].data(), grads[i].data(), values[i].size()});
        return out;
    }
};

// |got - want| <= atol + rtol * |want| for every element, reporting the first that is not.
inline void require_close(const float* got, const std::vector<float>& want, double rtol, double atol,
                          const std::string& what) {
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double g = got[i], w = want[i];
        if (!(std::fabs(g - w) <= atol + rtol * std::fabs(w))) {
            std::ostringstream msg;
            msg.precision(9);
            msg << what << " element " << i << ": got " << g << ", torch has " << w;
            FAIL(msg.str());
        }
    }
}

}  // namespace genhost::train::test
