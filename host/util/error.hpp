// The host's one exception type. Every error a user can cause (a YAML typo, a corrupt
// checkpoint, a wrong dataset file, a broken plugin) is thrown as a genhost::Error whose
// message names the file, the place and the fix; the CLI prints it and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace genhost {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace genhost
