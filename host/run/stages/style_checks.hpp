// Checks shared by the stages of style-based generators (style_mixing, truncation,
// interpolate_w): the model has genhost.style/1 and the grid fits a PNG.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace genhost::run {

class RunContext;
class Problems;

// True when the model has genhost.style/1; else a problem naming `key`.
bool check_style(const RunContext& run, const std::string& key, Problems& problems);

}  // namespace genhost::run
