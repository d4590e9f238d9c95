// Replacing a file (checkpoints, and every other output: PNG grids, .npy, text) so that a crash, a kill or a full disk at any moment leaves either the
// old file or the complete new one at `path`, never a torn mix.
//
// How: write a temporary file in the same folder (so rename stays on one filesystem), fsync
// it, rename it over `path` (atomic on POSIX), then fsync the folder so the rename itself
// survives a power cut. On any error the temporary file is removed, `path` is untouched,
// and a genhost::Error says which step failed. Only a SIGKILL or power loss mid-write can
// leave a stray ".<name>.tmp-<pid>-<n>" next to `path`; it is never read and safe to delete.
// Thread rule: safe to call from several threads, for different paths.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace genhost::checkpoint {

struct ByteSpan {
    const void* data;
    std::size_t size;
};

// Writes the concatenation of `pieces` to `path`, atomically as above.
void write_file_atomic(const std::string& path, const std::vector<ByteSpan>& pieces);

// Writes `text` to `path`, atomically as above: metrics.json, pipeline.resolved.yaml, csv
// files, anything a reader must never see half-written.
void write_text_atomic(const std::string& path, const std::string& text);

}  // namespace genhost::checkpoint
