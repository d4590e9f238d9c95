#include "image/npy_write.hpp"

#include <cstring>
#include <fstream>

#include "util/error.hpp"

namespace genhost::image {

std::vector<uint8_t> encode_npy_f32(const float* data, const std::vector<int64_t>& shape) {
    std::string dims;
    int64_t count = 1;
    for (int64_t d : shape) {
        dims += std::to_string(d) + ", ";
        count *= d;
    }
    if (shape.size() > 1) dims.resize(dims.size() - 2);  // (3,) for one dimension, (2, 3) otherwise
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // magic(6) + version(2) + length(2) + header + '\n', padded with spaces to 64 bytes.
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                static_cast<uint8_t>(header.size() & 0xff), static_cast<uint8_t>(header.size() >> 8)};
    out.insert(out.end(), header.begin(), header.end());
    const size_t start = out.size();
    out.resize(start + static_cast<size_t>(count) * sizeof(float));
    if (count > 0) std::memcpy(out.data() + start, data, static_cast<size_t>(count) * sizeof(float));  // x86: little-endian
    return out;
}

void write_npy_f32(const std::string& path, const float* data, const std::vector<int64_t>& shape) {
    const auto bytes = encode_npy_f32(data, shape);
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!out) throw Error(path + ": cannot write the .npy file (disk full or folder not writable?)");
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) throw Error(path + ": cannot replace the file");
}

}  // namespace genhost::image
