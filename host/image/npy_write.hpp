// Writing NumPy .npy files (format 1.0), the array format people load with np.load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genhost::image {

// Writes a little-endian float32 C-order array of `shape` from `data` (product(shape)
// floats) to `path`, replacing it atomically. Errors name the path.
void write_npy_f32(const std::string& path, const float* data, const std::vector<int64_t>& shape);

// The bytes of such a file, for tests and other writers.
std::vector<uint8_t> encode_npy_f32(const float* data, const std::vector<int64_t>& shape);

}  // namespace genhost::image
