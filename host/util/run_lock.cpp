#include "util/run_lock.hpp"

#include "util/error.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace genhost {

namespace fs = std::filesystem;

RunLock::RunLock(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create the run folder: " + ec.message());
    const std::string path = (dir / ".lock").string();
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) throw Error(path + ": cannot create the run folder's lock file: " + std::strerror(errno));
    int rc;
    do rc = ::flock(fd_, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        const int err = errno;
        char holder[32] = {0};
        const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
        std::string pid = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "";
        pid.erase(pid.find_last_not_of(" \n") + 1);
        ::close(fd_);
        fd_ = -1;
        if (err != EWOULDBLOCK) throw Error(path + ": cannot lock the run folder: " + std::strerror(err));
        throw Error(dir.string() + " is in use by another genhost run" + (pid.empty() ? "" : " (PID " + pid + ")") +
                    "; wait for it to finish, stop it, or choose another --output");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        // The lock holds without the PID; only the message of a second run loses it.
    }
}

RunLock::~RunLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

void check_output_dir(const fs::path& dir, bool resume, bool overwrite) {
    if (resume && overwrite)
        throw Error("--resume and --overwrite contradict each other: --resume continues the run in " + dir.string() +
                    ", --overwrite replaces it; give one");
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw Error(dir.string() + " is a file, not a run directory; choose another --output (or output:)");
    if (resume && !fs::exists(dir / "checkpoint.safetensors", ec))
        throw Error("--resume: there is no checkpoint to resume at " + (dir / "checkpoint.safetensors").string() +
                    "; run without --resume to start afresh");
    if (resume || overwrite) return;
    std::string found;
    for (const char* name : {"checkpoint.safetensors", "train_log.csv"})
        if (fs::exists(dir / name, ec)) found += (found.empty() ? "" : " and ") + std::string(name);
    if (found.empty()) return;
    throw Error(dir.string() + " already holds a run (" + found +
                "); continue it with --resume, replace it with --overwrite, or choose another --output");
}

}  // namespace genhost
