// Checking what a path is before opening it for reading. Opening a FIFO blocks until some
// other process opens it for writing, and a folder or device opens but never reads like a
// file: a pipeline, dataset, PNG or checkpoint path naming one would hang or fail obscurely.
// Every reader calls require_regular_file first.
// Thread rule: reentrant.
#pragma once

#include <string>

namespace genhost {

// What `path` is when it exists and is not a regular file: "a folder", "a FIFO (named
// pipe)", "a character device", "a block device", "a socket"; "" for a regular file or a
// path that does not exist (the opener reports that, with its own advice). Follows symlinks.
std::string special_file_kind(const std::string& path);

// Throws genhost::Error "<where>: is <kind>; expected <expected>" when special_file_kind
// names something, e.g. "data/x.npy: is a FIFO (named pipe); expected a file here".
void require_regular_file(const std::string& path, const std::string& where, const std::string& expected);

}  // namespace genhost
