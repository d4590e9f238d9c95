// Stopping a long run cleanly on Ctrl-C or `kill`: the first SIGINT or SIGTERM asks the
// training loop to stop after the step it is in; the loop writes a checkpoint and throws
// StopRequested, and the CLI exits with 128 + the signal number (130 for SIGINT, 143 for
// SIGTERM, as a shell reports a process the signal killed) saying how to resume.
// A second signal, for when a step takes too long, exits at once with the same code.
// SIGUSR1 is a parent process's request for the same clean stop (exit 138); it never counts
// as a second signal, so a parent may hand on a stop its child may also have had; after the
// first scope it stays handled (a late request does not kill a run that is winding down).
//
//   StopSignalScope handle_stop;              // handlers installed for this scope only
//   while (...) {
//       step();
//       if (stop_requested()) { save(); throw StopRequested(stop_signal(), "step 12"); }
//   }
//
// Outside a StopSignalScope the previous handlers (by default: die at once) apply, so a
// signal during data loading or sampling, which nobody polls, still stops the program.
// Thread rule: stop_requested() and stop_signal() are safe from any thread; scopes must
// not be nested or overlap across threads (the handlers are process-wide).
#pragma once

#include <string>

#include "util/error.hpp"

namespace genhost {

class StopSignalScope {
public:
    StopSignalScope();   // installs the handlers and clears any earlier request
    ~StopSignalScope();  // restores the previous handlers
    StopSignalScope(const StopSignalScope&) = delete;
    StopSignalScope& operator=(const StopSignalScope&) = delete;
};

// True once SIGINT, SIGTERM or SIGUSR1 arrived inside a StopSignalScope.
bool stop_requested();

// The signal that asked to stop (SIGINT, SIGTERM or SIGUSR1), 0 when none did.
int stop_signal();

// Thrown by a loop that stopped because of a signal, once its state is saved.
// what(): "stopped by SIGTERM <where>"; exit_code(): 128 + the signal number.
class StopRequested : public Error {
public:
    StopRequested(int signal, const std::string& where);
    int signal() const { return signal_; }
    int exit_code() const { return 128 + signal_; }

private:
    int signal_;
};

}  // namespace genhost
