#include "util/file_check.hpp"

#include "util/error.hpp"

#include <sys/stat.h>

namespace genhost {

std::string special_file_kind(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";  // missing or unreachable: the opener says which
    if (S_ISREG(st.st_mode)) return "";
    if (S_ISDIR(st.st_mode)) return "a folder";
    if (S_ISFIFO(st.st_mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(st.st_mode)) return "a character device";
    if (S_ISBLK(st.st_mode)) return "a block device";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    return "neither a file nor a folder";
}

void require_regular_file(const std::string& path, const std::string& where, const std::string& expected) {
    const std::string kind = special_file_kind(path);
    if (kind.empty()) return;
    throw Error(where + ": is " + kind + "; expected " + expected);
}

}  // namespace genhost
