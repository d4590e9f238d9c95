#include "checkpoint/atomic_file.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace genhost::checkpoint {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Removes the temporary file unless the rename happened.
struct TempFile {
    std::string path;
    int         fd        = -1;
    bool        committed = false;

    ~TempFile() {
        if (fd >= 0) ::close(fd);
        if (!committed && !path.empty()) ::unlink(path.c_str());
    }
};

// Returns 0 or the errno of the failed write.
int write_all(int fd, const ByteSpan& piece) {
    const auto* p = static_cast<const unsigned char*>(piece.data);
    std::size_t n = piece.size;
    while (n > 0) {
        const ssize_t put = ::write(fd, p, std::min<std::size_t>(n, 1u << 30));
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) return errno;
        p += put;
        n -= static_cast<std::size_t>(put);
    }
    return 0;
}

}  // namespace

void write_file_atomic(const std::string& path, const std::vector<ByteSpan>& pieces) {
    const std::string where = "writing " + path;
    const auto        slash = path.find_last_of('/');
    const std::string dir   = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const std::string base  = slash == std::string::npos ? path : path.substr(slash + 1);
    if (base.empty() || base == "." || base == "..")
        throw Error(where + ": the path names a folder, expected a file name such as checkpoint.safetensors");

    // pid + counter keeps concurrent writers (threads or processes) off each other's file;
    // O_EXCL guarantees it. The name is cut so the temporary stays under NAME_MAX.
    static std::atomic<unsigned> counter{0};
    TempFile tmp;
    for (int attempt = 0; tmp.fd < 0; ++attempt) {
        tmp.path = dir + "/." + base.substr(0, 160) + ".tmp-" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++);
        tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (tmp.fd >= 0) break;
        const int err = errno;
        if ((err == EEXIST || err == EINTR) && attempt < 100) continue;
        tmp.path.clear();  // nothing to remove
        if (err == ENOENT)
            throw Error(where + ": the folder '" + dir + "' does not exist; create it first");
        throw Error(where + ": cannot create a temporary file in '" + dir + "': " + errno_text(err));
    }

    for (const auto& piece : pieces)
        if (const int err = write_all(tmp.fd, piece))
            throw Error(where + ": writing the temporary file failed: " + errno_text(err) +
                        (err == ENOSPC ? " (the disk is full)" : "") + "; the previous " + base + " is untouched");
    if (::fsync(tmp.fd) != 0)
        throw Error(where + ": fsync of the temporary file failed: " + errno_text(errno) + "; the previous " +
                    base + " is untouched");
    const int fd = tmp.fd;
    tmp.fd       = -1;
    if (::close(fd) != 0)
        throw Error(where + ": closing the temporary file failed: " + errno_text(errno) + "; the previous " +
                    base + " is untouched");

    if (::rename(tmp.path.c_str(), path.c_str()) != 0)
        throw Error(where + ": renaming the temporary file over it failed: " + errno_text(errno) +
                    "; the previous " + base + " is untouched");
    tmp.committed = true;

    // The rename is only durable once the folder's entry is on disk.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) throw Error(where + ": the file is written but its folder cannot be opened to fsync: " + errno_text(errno));
    const int rc  = ::fsync(dfd);
    const int err = errno;
    ::close(dfd);
    // Some filesystems cannot fsync a folder (EINVAL); the rename is then as durable as they allow.
    if (rc != 0 && err != EINVAL)
        throw Error(where + ": the file is written but fsync of its folder failed: " + errno_text(err) +
                    "; after a power loss it may still be the previous version");
}

void write_text_atomic(const std::string& path, const std::string& text) {
    write_file_atomic(path, {{text.data(), text.size()}});
}

}  // namespace genhost::checkpoint
