// One child `genhost` process: its own address space (a plugin's crash or leak stays
// there) and its own resource usage, so peak memory is the run's alone.
//
//   ChildResult r = run_child({"run", "vae.yaml", "--quiet"}, "runs/x/train.log");
//   r.exit_code, r.seconds, r.peak_mb
//
// The child shares the terminal's process group, so Ctrl-C and Ctrl-Z reach it as they
// reach the caller. A stop that reaches only the caller (`kill PID`, SIGINT or SIGTERM
// inside a StopSignalScope) is handed on as SIGUSR1, the request for a clean stop that never
// counts as a second signal (util/stop_signal.hpp): the child checkpoints and exits, and
// the caller stops after it. A child whose caller died gets SIGUSR1 from the kernel.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace genhost::compare {

struct ChildResult {
    int exit_code = 0;      // 128 + signal when it was killed by one
    int signal = 0;         // the signal that killed it, 0 when it exited
    double seconds = 0;     // wall time
    double peak_mb = 0;     // peak resident memory (ru_maxrss), MiB
};

// The genhost program itself (/proc/self/exe), so children are the same build.
std::filesystem::path genhost_program();

// Runs `genhost ARGS`, its stdout and stderr appended to `log`. Throws genhost::Error
// when it cannot be started.
ChildResult run_child(const std::vector<std::string>& args, const std::filesystem::path& log);

// "genhost exited with 2", "genhost was killed by SIGSEGV (signal 11: Segmentation fault)".
std::string describe_exit(const ChildResult& r);

// `genhost ARGS` as one line a shell reads back (arguments quoted where needed).
std::string command_line(const std::vector<std::string>& args);

// The last `lines` lines of a text file, for an error message.
std::string tail(const std::filesystem::path& file, int lines);

}  // namespace genhost::compare
