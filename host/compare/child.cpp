#include "compare/child.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <thread>

#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace genhost::compare {

namespace fs = std::filesystem;

fs::path genhost_program() { return fs::read_symlink("/proc/self/exe"); }

ChildResult run_child(const std::vector<std::string>& args, const fs::path& log) {
    const std::string program = genhost_program().string();
    std::vector<std::string> argv_text = {program};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);

    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(log.string() + ": cannot write the log: " + std::strerror(errno));
    const auto start = std::chrono::steady_clock::now();
    const pid_t parent = ::getpid();
    // The stop signals wait while the child is made: a stop handed on before its exec would
    // otherwise run this process's handler in the child and be lost with its memory.
    sigset_t stops, before;
    sigemptyset(&stops);
    for (int s : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&stops, s);
    ::sigprocmask(SIG_BLOCK, &stops, &before);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::sigprocmask(SIG_SETMASK, &before, nullptr);
        ::close(fd);
        throw Error(std::string("cannot start genhost: fork: ") + std::strerror(errno));
    }
    if (pid == 0) {  // the child: only async-signal-safe calls until exec
        struct sigaction by_default {};
        by_default.sa_handler = SIG_DFL;
        for (int s : {SIGINT, SIGTERM, SIGUSR1}) ::sigaction(s, &by_default, nullptr);
        // A clean stop (SIGUSR1, util/stop_signal.hpp) when this process dies first.
        ::prctl(PR_SET_PDEATHSIG, SIGUSR1);
        if (::getppid() != parent) ::_exit(128 + SIGUSR1);  // it died before prctl
        ::sigprocmask(SIG_SETMASK, &before, nullptr);
        const int nothing = ::open("/dev/null", O_RDONLY);
        if (nothing >= 0) ::dup2(nothing, STDIN_FILENO);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        // This very program, through /proc/self/exe: a rebuild during a comparison replaces
        // the file at `program` (whose link then reads "... (deleted)"), and each run of one
        // comparison must be made by the same genhost anyway. argv[0] stays the path.
        ::execv("/proc/self/exe", argv.data());
        ::_exit(127);
    }
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    ::close(fd);
    int status = 0;
    struct rusage usage {};
    bool forwarded = false;
    for (;;) {
        const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) throw Error(std::string("waiting for genhost: ") + std::strerror(errno));
        if (!forwarded && stop_requested()) {  // the child checkpoints and exits (child.hpp)
            ::kill(pid, SIGUSR1);
            forwarded = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ChildResult r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + r.signal;
    return r;
}

std::string describe_exit(const ChildResult& r) {
    if (r.signal == 0) return "genhost exited with " + std::to_string(r.exit_code);
    const char* name = ::sigabbrev_np(r.signal);
    return "genhost was killed by SIG" + std::string(name ? name : "?") + " (signal " + std::to_string(r.signal) + ": " +
           ::strsignal(r.signal) + ")";
}

std::string command_line(const std::vector<std::string>& args) {
    std::string line = "genhost";
    for (const std::string& a : args) {
        const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789-_=.,/:+@%") == std::string::npos;
        if (plain) {
            line += " " + a;
            continue;
        }
        line += " '";
        for (char c : a) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += "'";
    }
    return line;
}

std::string tail(const fs::path& file, int lines) {
    std::ifstream in(file);
    std::deque<std::string> last;
    for (std::string line; std::getline(in, line);) {
        last.push_back(line);
        if (static_cast<int>(last.size()) > lines) last.pop_front();
    }
    std::string text;
    for (const auto& l : last) text += "\n  " + l;
    return text;
}

}  // namespace genhost::compare
