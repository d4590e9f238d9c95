#include "checkpoint/reader.hpp"

#include "checkpoint/header.hpp"
#include "util/error.hpp"
#include "util/file_check.hpp"

#include <cerrno>
#include <cstring>
#include <new>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace genhost::checkpoint {

// Builds a Checkpoint from a validated header and a filled data buffer.
struct CheckpointBuilder {
    static Checkpoint make(std::string source, detail::Header&& header, std::unique_ptr<std::byte[]> buffer) {
        Checkpoint c;
        c.source_   = std::move(source);
        c.buffer_   = std::move(buffer);
        c.metadata_ = std::move(header.metadata);
        for (auto& e : header.tensors) {
            Tensor t;
            t.dtype      = e.dtype;
            t.shape      = std::move(e.shape);
            t.data       = c.buffer_.get() + e.begin;
            t.size_bytes = static_cast<std::size_t>(e.end - e.begin);
            t.name       = e.name;
            c.tensors_.emplace(std::move(e.name), std::move(t));
        }
        return c;
    }
};

namespace {

constexpr std::uint64_t kLengthBytes = 8;

std::uint64_t load_le64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// The checks on the first 8 bytes: returns the header length N, known to fit in the file.
std::uint64_t header_length(const unsigned char* first8, std::uint64_t file_size, const std::string& where) {
    const std::uint64_t n = load_le64(first8);
    if (n > Checkpoint::kMaxHeaderBytes)
        throw Error(where + ": the header length in the first 8 bytes is " + std::to_string(n) +
                    " bytes, over the limit of " + std::to_string(Checkpoint::kMaxHeaderBytes) +
                    "; the file is corrupt or not a safetensors file");
    if (n > file_size - kLengthBytes)
        throw Error(where + ": the header length in the first 8 bytes is " + std::to_string(n) +
                    " bytes, but only " + std::to_string(file_size - kLengthBytes) +
                    " bytes follow; the file is truncated or not a safetensors file");
    return n;
}

void check_min_size(std::uint64_t file_size, const std::string& where) {
    if (file_size < kLengthBytes)
        throw Error(where + ": the file is " + std::to_string(file_size) +
                    " bytes, shorter than the 8-byte header length every safetensors file starts with");
}

std::unique_ptr<std::byte[]> allocate(std::uint64_t bytes, const std::string& where) {
    try {
        return std::unique_ptr<std::byte[]>(new std::byte[static_cast<std::size_t>(bytes)]);
    } catch (const std::bad_alloc&) {
        throw Error(where + ": not enough memory to load its " + std::to_string(bytes) + " bytes of tensor data");
    }
}

class File {
public:
    File(const std::string& path, const std::string& where) : where_(where) {
        require_regular_file(path, where_, "a .safetensors file");
        // O_NONBLOCK: should the path become a FIFO after the check, open returns instead of
        // waiting for a writer; fstat below then refuses it. Regular files ignore the flag.
        do fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        while (fd_ < 0 && errno == EINTR);
        if (fd_ < 0) throw Error(where_ + ": cannot open: " + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd_, &st) != 0) throw Error(where_ + ": cannot stat: " + std::strerror(errno));
        if (!S_ISREG(st.st_mode)) throw Error(where_ + ": not a regular file; expected a .safetensors file");
        size_ = static_cast<std::uint64_t>(st.st_size);
    }
    ~File() { ::close(fd_); }
    File(const File&)            = delete;
    File& operator=(const File&) = delete;

    std::uint64_t size() const { return size_; }

    void read_at(std::uint64_t offset, void* dst, std::uint64_t n, const char* what) const {
        auto* out = static_cast<unsigned char*>(dst);
        while (n > 0) {
            const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(n, 1u << 30));
            const ssize_t     got   = ::pread(fd_, out, chunk, static_cast<off_t>(offset));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) throw Error(where_ + ": reading the " + what + " failed: " + std::strerror(errno));
            if (got == 0)
                throw Error(where_ + ": the file ended at byte " + std::to_string(offset) + " while reading the " +
                            what + "; it shrank while being read (is another process writing it?)");
            out += got;
            offset += static_cast<std::uint64_t>(got);
            n -= static_cast<std::uint64_t>(got);
        }
    }

private:
    const std::string& where_;
    int                fd_ = -1;
    std::uint64_t      size_ = 0;
};

}  // namespace

Checkpoint Checkpoint::read(const std::string& path) {
    const std::string where = "checkpoint " + path;
    File              file(path, where);
    const auto        size = file.size();
    check_min_size(size, where);

    unsigned char first8[kLengthBytes];
    file.read_at(0, first8, kLengthBytes, "header length");
    const std::uint64_t n = header_length(first8, size, where);

    std::string text(static_cast<std::size_t>(n), '\0');
    file.read_at(kLengthBytes, text.data(), n, "header");
    auto                header    = detail::parse_header(text, where, kLengthBytes);
    const std::uint64_t data_size = size - kLengthBytes - n;
    detail::validate_layout(header, data_size, where);

    auto buffer = allocate(data_size, where);
    file.read_at(kLengthBytes + n, buffer.get(), data_size, "tensor data");
    return CheckpointBuilder::make(where, std::move(header), std::move(buffer));
}

Checkpoint Checkpoint::parse(const void* bytes, std::size_t size, const std::string& source) {
    const std::string where = "checkpoint " + source;
    const auto*       p     = static_cast<const unsigned char*>(bytes);
    check_min_size(size, where);
    const std::uint64_t n = header_length(p, size, where);

    auto header = detail::parse_header(
        std::string_view(reinterpret_cast<const char*>(p + kLengthBytes), static_cast<std::size_t>(n)), where,
        kLengthBytes);
    const std::uint64_t data_size = size - kLengthBytes - n;
    detail::validate_layout(header, data_size, where);

    auto buffer = allocate(data_size, where);
    if (data_size) std::memcpy(buffer.get(), p + kLengthBytes + n, static_cast<std::size_t>(data_size));
    return CheckpointBuilder::make(where, std::move(header), std::move(buffer));
}

std::vector<std::string> Checkpoint::names() const {
    std::vector<std::string> out;
    out.reserve(tensors_.size());
    for (const auto& kv : tensors_) out.push_back(kv.first);
    return out;
}

bool Checkpoint::contains(const std::string& name) const { return tensors_.count(name) != 0; }

const Tensor& Checkpoint::tensor(const std::string& name) const {
    const auto it = tensors_.find(name);
    if (it != tensors_.end()) return it->second;
    std::string       have;
    std::size_t       listed = 0;
    constexpr std::size_t kList = 8;
    for (const auto& kv : tensors_) {
        if (listed == kList) {
            have += ", ... (" + std::to_string(tensors_.size() - kList) + " more)";
            break;
        }
        have += (listed++ ? ", '" : "'") + kv.first + "'";
    }
    throw Error(source_ + ": has no tensor '" + name + "'; it holds " +
                (tensors_.empty() ? std::string("no tensors") : have) +
                ". Was it saved by a different model or configuration?");
}

const Tensor& Checkpoint::expect(const std::string& name, Dtype dtype, const Shape& shape) const {
    const Tensor& t = tensor(name);
    if (t.dtype != dtype)
        throw Error(source_ + ": tensor '" + name + "' has dtype " + std::string(dtype_name(t.dtype)) +
                    ", the model expects " + std::string(dtype_name(dtype)));
    if (t.shape != shape)
        throw Error(source_ + ": tensor '" + name + "' has shape " + shape_string(t.shape) +
                    ", the model expects " + shape_string(shape) +
                    "; was the checkpoint saved with a different model configuration?");
    return t;
}

const void* Checkpoint::typed_data(const std::string& name, Dtype dtype, const Shape& shape) const {
    const Tensor& t     = expect(name, dtype, shape);
    const auto    align = dtype_size(dtype);
    if (reinterpret_cast<std::uintptr_t>(t.data) % align != 0)
        throw Error(source_ + ": tensor '" + name + "' starts at data byte " +
                    std::to_string(t.data - buffer_.get()) + ", not a multiple of its " + std::to_string(align) +
                    "-byte element size, so it cannot be viewed in place; use copy_to()");
    return t.data;
}

void Checkpoint::copy_to(const std::string& name, Dtype dtype, const Shape& shape, void* dst,
                         std::size_t dst_bytes) const {
    const Tensor& t = expect(name, dtype, shape);
    if (dst_bytes != t.size_bytes)
        throw Error(source_ + ": tensor '" + name + "' holds " + std::to_string(t.size_bytes) +
                    " bytes, the destination " + std::to_string(dst_bytes));
    if (t.size_bytes) std::memcpy(dst, t.data, t.size_bytes);
}

}  // namespace genhost::checkpoint
