#include "util/stop_signal.hpp"

#include <atomic>
#include <csignal>
#include <cstring>

#include <unistd.h>

namespace genhost {

namespace {

std::atomic<int> g_signal{0};
struct sigaction g_previous_int {}, g_previous_term {};

static_assert(std::atomic<int>::is_always_lock_free, "the handler may only touch lock-free atomics");

void say(const char* text) {
    const ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
    (void)ignored;
}

// Only async-signal-safe calls here: atomics, write, _exit.
extern "C" void on_stop_signal(int signo) {
    int expected = 0;
    if (!g_signal.compare_exchange_strong(expected, signo)) {
        say("\ngenhost: second signal: stopping at once, without a checkpoint for the current step\n");
        ::_exit(128 + signo);
    }
    say(signo == SIGINT ? "\ngenhost: SIGINT: finishing the current step and writing a checkpoint "
                          "(press Ctrl-C again to stop at once)\n"
                        : "\ngenhost: SIGTERM: finishing the current step and writing a checkpoint "
                          "(send it again to stop at once)\n");
}

// SIGUSR1, a parent's request (genhost compare hands its stop to its child this way): the
// same clean stop, but never the "second signal", since the child may have had the user's
// SIGINT or SIGTERM too (a terminal's Ctrl-C, pkill, a service manager's cgroup kill).
extern "C" void on_stop_request(int signo) {
    int expected = 0;
    if (g_signal.compare_exchange_strong(expected, signo))
        say("\ngenhost: asked to stop by the parent process: finishing the current step and writing a checkpoint\n");
}

}  // namespace

StopSignalScope::StopSignalScope() {
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // reads and writes in progress carry on; the loop polls the flag
    ::sigaction(SIGINT, &action, &g_previous_int);
    ::sigaction(SIGTERM, &action, &g_previous_term);
    action.sa_handler = on_stop_request;
    ::sigaction(SIGUSR1, &action, nullptr);
}

StopSignalScope::~StopSignalScope() {
    ::sigaction(SIGINT, &g_previous_int, nullptr);
    ::sigaction(SIGTERM, &g_previous_term, nullptr);
    // SIGUSR1 stays a request: one that arrives while the run winds down (its checkpoint
    // written, its message not yet) must not kill it.
}

bool stop_requested() { return g_signal.load(std::memory_order_relaxed) != 0; }

int stop_signal() { return g_signal.load(std::memory_order_relaxed); }

StopRequested::StopRequested(int signal, const std::string& where)
    : Error(std::string("stopped by ") +
            (signal == SIGINT    ? "SIGINT"
             : signal == SIGTERM ? "SIGTERM"
             : signal == SIGUSR1 ? "its parent (SIGUSR1)"
                                 : "a signal") +
            " " + where),
      signal_(signal) {}

}  // namespace genhost
