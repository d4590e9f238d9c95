#include "image/npy_write.hpp"

#include <cstring>

#include "checkpoint/atomic_file.hpp"
#include "util/error.hpp"

namespace genhost::image {

namespace {

// The magic, version, length and header of a float32 C-order array: the bytes before its data.
std::vector<uint8_t> npy_f32_header(const std::vector<int64_t>& shape) {
    std::string dims;
    for (int64_t d : shape) dims += std::to_string(d) + ", ";
    if (shape.size() > 1) dims.resize(dims.size() - 2);  // (3,) for one dimension, (2, 3) otherwise
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // magic(6) + version(2) + length(2) + header + '\n', padded with spaces to 64 bytes.
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                static_cast<uint8_t>(header.size() & 0xff), static_cast<uint8_t>(header.size() >> 8)};
    out.insert(out.end(), header.begin(), header.end());
    return out;
}

size_t element_count(const std::vector<int64_t>& shape) {
    int64_t count = 1;
    for (int64_t d : shape) count *= d;
    return static_cast<size_t>(count);
}

}  // namespace

std::vector<uint8_t> encode_npy_f32(const float* data, const std::vector<int64_t>& shape) {
    std::vector<uint8_t> out = npy_f32_header(shape);
    const size_t start = out.size(), count = element_count(shape);
    out.resize(start + count * sizeof(float));
    if (count > 0) std::memcpy(out.data() + start, data, count * sizeof(float));  // x86: little-endian
    return out;
}

void write_npy_f32(const std::string& path, const float* data, const std::vector<int64_t>& shape) {
    const std::vector<uint8_t> header = npy_f32_header(shape);
    checkpoint::write_file_atomic(path, {{header.data(), header.size()}, {data, element_count(shape) * sizeof(float)}});
}

}  // namespace genhost::image
