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
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fd);
        throw Error(std::string("cannot start genhost: fork: ") + std::strerror(errno));
    }
    if (pid == 0) {  // the child: only async-signal-safe calls until exec
        // A process group of its own, so a signal reaches it once, from this process (see
        // child.hpp); and SIGTERM, a clean stop, when this process dies first.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(128 + SIGTERM);  // it died before prctl
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: whichever of the two runs first
    ::close(fd);
    int status = 0;
    struct rusage usage {};
    bool forwarded = false;
    for (;;) {
        const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) throw Error(std::string("waiting for genhost: ") + std::strerror(errno));
        if (!forwarded && stop_requested()) {  // the child checkpoints and exits 128 + the signal
            ::kill(pid, stop_signal());
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
