#include "train/option_check.hpp"

#include "util/error.hpp"

#include <sstream>

namespace genhost::train::detail {

void require(bool ok, std::string_view owner, std::string_view key, double value, std::string_view expected) {
    if (ok) return;
    std::ostringstream msg;
    msg << owner << ": " << key << " is " << value << ", expected " << expected;
    throw Error(msg.str());
}

}  // namespace genhost::train::detail
