// Simulating a full disk without root or a mount: run a writer in a child process whose
// file size limit (RLIMIT_FSIZE) is tiny, so write() fails with EFBIG as it would with
// ENOSPC. Whatever the writer leaves behind is then checked by the parent.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

namespace genhost::testing {

// Runs `write` in a child limited to files of `limit_bytes`; returns the message of what
// it threw, or "no error".
inline std::string error_with_file_size_limit(std::size_t limit_bytes, const std::function<void()>& write) {
    int messages[2];
    if (::pipe(messages) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        ::close(messages[0]);
        std::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead of killing
        const rlimit limit{limit_bytes, limit_bytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        std::string message = "no error";
        try {
            write();
        } catch (const std::exception& e) {
            message = e.what();
        }
        const auto put = ::write(messages[1], message.data(), message.size());
        ::_exit(put == static_cast<ssize_t>(message.size()) ? 0 : 1);
    }
    ::close(messages[1]);
    std::string message;
    char buf[512];
    for (ssize_t n; (n = ::read(messages[0], buf, sizeof buf)) > 0;) message.append(buf, static_cast<std::size_t>(n));
    ::close(messages[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status)) throw std::runtime_error("the writer process died");
    return message;
}

}  // namespace genhost::testing
