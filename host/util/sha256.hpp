// SHA-256 (FIPS 180-4) of a file or bytes, as lowercase hex: the identity of a checkpoint
// (a judge's, a component's) written beside every number computed with it.
#pragma once

#include <cstdint>
#include <string>

namespace genhost {

std::string sha256_hex(const void* data, size_t size);
// Throws genhost::Error naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace genhost
