// Reading a data file's bytes in order, gunzipping on the fly when the file starts with
// the gzip magic 1f 8b, so that every reader accepts both `x.idx` and `x.idx.gz`.
// Memory stays proportional to what the file really holds: a gzip file is kept
// compressed and inflated as the caller reads.
// Thread rule: one ByteReader per thread.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace genhost::data {

// Throws "<path>: is a folder; expected a file here" for a folder (which std::ifstream
// would otherwise open and then fail to read), and likewise for a FIFO (which would block
// forever) or a device: genhost::require_regular_file (util/file_check.hpp).
void require_regular_file(const std::string& path);

// The whole file; an error naming the path when it is missing, unreadable or larger
// than max_bytes.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes);

class ByteReader {
public:
    explicit ByteReader(const std::string& path);
    ~ByteReader();
    ByteReader(const ByteReader&) = delete;
    ByteReader& operator=(const ByteReader&) = delete;

    // Copies up to n bytes into dst; returns fewer only when the data ends. Throws
    // genhost::Error on corrupt or truncated gzip data.
    size_t read(uint8_t* dst, size_t n);
    // Reads exactly n bytes or throws "truncated" naming `what` and the offset.
    void read_exact(uint8_t* dst, size_t n, const std::string& what);
    // True when no data byte remains (for gzip: the stream ended and its CRC matched).
    bool at_end();

    bool gzipped() const { return gzip_ != nullptr; }
    uint64_t offset() const { return offset_; }      // data bytes consumed so far
    int64_t file_size() const { return file_size_; }  // bytes on disk
    const std::string& path() const { return path_; }

private:
    struct Gzip;
    size_t read_gzip(uint8_t* dst, size_t n);

    std::string path_;
    std::ifstream file_;
    int64_t file_size_ = 0;
    uint64_t offset_ = 0;
    std::unique_ptr<Gzip> gzip_;
};

}  // namespace genhost::data
