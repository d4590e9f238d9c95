// PNG files in and out, through libpng.
//
//   genhost::image::Png png = genhost::image::read_png("cat.png");
//   // png.width x png.height x png.channels samples, row-major, interleaved (HWC),
//   // each in [0, png.max_value()]
//   genhost::image::write_png("out.png", pixels, 64, 64, 3);   // 8-bit RGB
//
// Reading accepts every PNG colour type and bit depth and normalizes it so that the
// caller sees only gray (1 channel) or RGB (3 channels) at 8 or 16 bits:
//   - palette images become RGB, gray below 8 bits becomes 8-bit gray,
//   - an alpha channel (or tRNS transparency) is dropped, not composited,
//   - 16-bit samples stay 16-bit (max_value() == 65535).
// Every failure throws genhost::Error naming the file and what libpng reported.
// Thread rule: all functions are reentrant; separate calls may run on separate threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genhost::image {

struct Png {
    uint32_t width     = 0;
    uint32_t height    = 0;
    uint32_t channels  = 0;      // 1 (gray) or 3 (RGB)
    uint32_t bit_depth = 0;      // 8 or 16
    std::vector<uint16_t> samples;  // height * width * channels, HWC order

    uint32_t max_value() const { return bit_depth == 16 ? 65535u : 255u; }
};

// Largest width or height accepted when reading; larger headers are an error rather
// than a huge allocation.
constexpr uint32_t png_max_side = 8192;

// Decodes a PNG held in memory; `name` (usually the path) is used in error messages.
Png decode_png(const uint8_t* bytes, size_t size, const std::string& name);

// Reads and decodes a PNG file.
Png read_png(const std::string& path);

// Encodes 8-bit pixels (HWC, row-major) as a PNG in memory. channels: 1 gray, 3 RGB.
std::vector<uint8_t> encode_png(const uint8_t* pixels, uint32_t width, uint32_t height,
                                uint32_t channels, const std::string& name);

// Encodes and writes a PNG file (8-bit gray or RGB). Throws genhost::Error naming the
// path when the file cannot be written.
void write_png(const std::string& path, const uint8_t* pixels, uint32_t width,
               uint32_t height, uint32_t channels);

}  // namespace genhost::image
