#include "data/bytes.hpp"

#include "util/error.hpp"
#include "util/file_check.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <filesystem>

namespace genhost::data {

// Compressed data files above this size are refused before they are read into memory.
constexpr uint64_t max_compressed_bytes = uint64_t(2) << 30;

void require_regular_file(const std::string& path) {
    genhost::require_regular_file(path, path, "a file here");
}

std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes) {
    require_regular_file(path);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path + ": cannot open the file (check that it exists and is readable)");
    const std::streamoff size = in.tellg();
    if (size < 0) throw Error(path + ": cannot determine the file size (is it a folder?)");
    if (uint64_t(size) > max_bytes) {
        throw Error(path + ": the file is " + std::to_string(size) + " bytes, more than the " +
                    std::to_string(max_bytes) + " accepted");
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.seekg(0);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
        throw Error(path + ": read error after " + std::to_string(in.gcount()) + " bytes");
    }
    return bytes;
}

struct ByteReader::Gzip {
    std::vector<uint8_t> input;
    size_t in_pos = 0;
    z_stream stream{};
    bool member_ended = false;
    ~Gzip() { inflateEnd(&stream); }
};

ByteReader::ByteReader(const std::string& path) : path_(path) {
    require_regular_file(path);
    file_.open(path, std::ios::binary | std::ios::ate);
    if (!file_) throw Error(path + ": cannot open the file (check that it exists and is readable)");
    const std::streamoff size = file_.tellg();
    if (size < 0) throw Error(path + ": cannot determine the file size (is it a folder?)");
    file_size_ = size;
    file_.seekg(0);
    uint8_t magic[2] = {0, 0};
    file_.read(reinterpret_cast<char*>(magic), 2);
    const bool gz = file_.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    file_.clear();
    file_.seekg(0);
    if (!gz) return;

    file_.close();
    auto gzip = std::make_unique<Gzip>();
    gzip->input = read_file(path, max_compressed_bytes);
    if (inflateInit2(&gzip->stream, 16 + MAX_WBITS) != Z_OK) {  // 16: expect a gzip wrapper
        throw Error(path + ": zlib could not start inflating");
    }
    gzip_ = std::move(gzip);
}

ByteReader::~ByteReader() = default;

size_t ByteReader::read(uint8_t* dst, size_t n) {
    size_t got = 0;
    if (gzip_) {
        got = read_gzip(dst, n);
    } else {
        file_.read(reinterpret_cast<char*>(dst), std::streamsize(n));
        got = size_t(file_.gcount());
        if (got < n && file_.bad()) throw Error(path_ + ": read error at byte " + std::to_string(offset_ + got));
    }
    offset_ += got;
    return got;
}

size_t ByteReader::read_gzip(uint8_t* dst, size_t n) {
    Gzip& gz = *gzip_;
    size_t got = 0;
    while (got < n) {
        if (gz.member_ended) {
            const size_t left = gz.input.size() - gz.in_pos;
            if (left == 0) break;
            // gzip allows several members back to back (`cat a.gz b.gz`); anything else
            // after the end is garbage, which gunzip too would complain about.
            if (left >= 2 && gz.input[gz.in_pos] == 0x1f && gz.input[gz.in_pos + 1] == 0x8b) {
                inflateReset(&gz.stream);
                gz.member_ended = false;
            } else {
                throw Error(path_ + ": " + std::to_string(left) + " byte(s) of garbage after "
                            "the end of the gzip stream (compressed byte " + std::to_string(gz.in_pos) +
                            "); the file is damaged, fetch it again");
            }
        }
        const size_t in_left = gz.input.size() - gz.in_pos;
        gz.stream.next_in = gz.input.data() + gz.in_pos;
        gz.stream.avail_in = uInt(std::min<size_t>(in_left, UINT_MAX));
        gz.stream.next_out = dst + got;
        gz.stream.avail_out = uInt(std::min<size_t>(n - got, UINT_MAX));
        const uInt in_before = gz.stream.avail_in, out_before = gz.stream.avail_out;
        const int ret = inflate(&gz.stream, Z_NO_FLUSH);
        gz.in_pos += in_before - gz.stream.avail_in;
        got += out_before - gz.stream.avail_out;
        if (ret == Z_STREAM_END) {
            gz.member_ended = true;
        } else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR ||
                   ret == Z_STREAM_ERROR) {
            const std::string why = gz.stream.msg ? gz.stream.msg : "inflate failed";
            throw Error(path_ + ": corrupt gzip data near compressed byte " +
                        std::to_string(gz.in_pos) + " (" + why +
                        "); the file is damaged, fetch it again");
        } else if (gz.in_pos == gz.input.size() && gz.stream.avail_out > 0) {
            throw Error(path_ + ": the gzip stream ends early after " +
                        std::to_string(offset_ + got) + " uncompressed bytes (the file is "
                        "truncated); fetch it again");
        } else if (in_before == gz.stream.avail_in && out_before == gz.stream.avail_out) {
            // zlib made no progress with input and room left: never loop on it
            throw Error(path_ + ": corrupt gzip data near compressed byte " +
                        std::to_string(gz.in_pos) + " (inflate made no progress); the file is "
                        "damaged, fetch it again");
        }
    }
    return got;
}

void ByteReader::read_exact(uint8_t* dst, size_t n, const std::string& what) {
    const uint64_t start = offset_;
    const size_t got = read(dst, n);
    if (got < n) {
        throw Error(path_ + ": truncated: the file ends at byte " + std::to_string(start + got) +
                    " inside " + what + " (expected " + std::to_string(n) + " bytes from byte " +
                    std::to_string(start) + ")");
    }
}

bool ByteReader::at_end() {
    uint8_t byte;
    if (read(&byte, 1) == 0) return true;
    offset_ -= 1;  // peeked, not consumed: the caller reports from the same offset
    return false;
}

}  // namespace genhost::data
