// Running the genhost program from a test, as a user would, and reading what it says.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace genhost::testing {

struct CommandResult {
    int code = -1;       // the exit status; -1 when killed by a signal
    std::string output;  // standard output and standard error together
};

// Runs `command` through the shell and waits for it.
inline CommandResult run_command(const std::string& command) {
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command);
    CommandResult r;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.output.append(buffer.data(), n);
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// The genhost program of this build.
inline std::string genhost_program() { return std::string(GENHOST_BINARY_DIR) + "/bin/genhost"; }

}  // namespace genhost::testing
