// The schema every pipeline file is checked against (JSON Schema subset, see
// genhost/cpp/schema.hpp), with a description for each key.
#pragma once

#include <nlohmann/json.hpp>

namespace genhost::pipeline {

const nlohmann::json& pipeline_schema();

}  // namespace genhost::pipeline
