// PNG encoding into memory (libpng, longjmp errors handled as in png_read.cpp), then
// one atomic write of the whole file (checkpoint/atomic_file.hpp): a failed encode, a full
// disk or a kill never leaves half a file, and the previous file stays whole.
#include "image/png.hpp"

#include "checkpoint/atomic_file.hpp"
#include "util/error.hpp"

#include <png.h>

#include <csetjmp>
#include <cstdio>

namespace genhost::image {
namespace {

struct Sink {
    std::vector<uint8_t>* bytes;
    char message[256];
};

void on_error(png_structp png, png_const_charp message) {
    auto* sink = static_cast<Sink*>(png_get_error_ptr(png));
    std::snprintf(sink->message, sizeof sink->message, "%s", message);
    png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_write(png_structp png, png_bytep data, png_size_t n) {
    auto* sink = static_cast<Sink*>(png_get_io_ptr(png));
    bool ok = true;
    try {
        sink->bytes->insert(sink->bytes->end(), data, data + n);
    } catch (...) {  // a C++ exception must not unwind through libpng's C frames
        ok = false;
    }
    if (!ok) png_error(png, "out of memory while encoding");
}

void on_flush(png_structp) {}

bool encode_rows(Sink& sink, const std::vector<png_bytep>& rows, uint32_t width,
                 uint32_t height, uint32_t channels) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_set_write_fn(png, &sink, on_write, on_flush);
    png_set_IHDR(png, info, width, height, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_write_image(png, const_cast<png_bytepp>(rows.data()));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

}  // namespace

std::vector<uint8_t> encode_png(const uint8_t* pixels, uint32_t width, uint32_t height,
                                uint32_t channels, const std::string& name) {
    if (channels != 1 && channels != 3) {
        throw Error(name + ": cannot write a PNG with " + std::to_string(channels) +
                    " channels; expected 1 (gray) or 3 (RGB)");
    }
    if (width == 0 || height == 0 || width > png_max_side || height > png_max_side) {
        throw Error(name + ": cannot write a " + std::to_string(width) + "x" +
                    std::to_string(height) + " PNG; each side must be in 1.." +
                    std::to_string(png_max_side));
    }
    std::vector<uint8_t> bytes;
    // Reserving more than the worst-case compressed size (raw rows, filter bytes, zlib
    // and chunk overhead) means on_write normally never reallocates.
    const size_t raw = size_t(width) * height * channels;
    bytes.reserve(raw + height + raw / 512 + 4096);
    std::vector<png_bytep> rows(height);
    for (uint32_t y = 0; y < height; ++y) {
        rows[y] = const_cast<png_bytep>(pixels + size_t(y) * width * channels);
    }
    Sink sink{&bytes, {0}};
    if (!encode_rows(sink, rows, width, height, channels)) {
        throw Error(name + ": PNG encode error: " + std::string(sink.message));
    }
    return bytes;
}

void write_png(const std::string& path, const uint8_t* pixels, uint32_t width,
               uint32_t height, uint32_t channels) {
    const std::vector<uint8_t> bytes = encode_png(pixels, width, height, channels, path);
    checkpoint::write_file_atomic(path, {{bytes.data(), bytes.size()}});
}

}  // namespace genhost::image
