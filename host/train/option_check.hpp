// Range checks for option structs (internal to genhost::train).
#pragma once

#include <string_view>

namespace genhost::train::detail {

// Throws genhost::Error "<owner>: <key> is <value>, expected <expected>" unless ok.
void require(bool ok, std::string_view owner, std::string_view key, double value, std::string_view expected);

}  // namespace genhost::train::detail
