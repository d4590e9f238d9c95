// PNG decoding. libpng reports errors by longjmp; everything that the jump could
// skip is kept out of decode_rows() so that no C++ destructor is ever jumped over:
// the function's C++ objects are declared before setjmp and live in its own frame.
#include "image/png.hpp"

#include "util/error.hpp"
#include "util/file_check.hpp"

#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace genhost::image {
namespace {

constexpr uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

struct Source {
    const uint8_t* data;
    size_t size;
    size_t pos;
    char message[256];
};

void on_error(png_structp png, png_const_charp message) {
    auto* src = static_cast<Source*>(png_get_error_ptr(png));
    std::snprintf(src->message, sizeof src->message, "%s", message);
    png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // ancillary problems: keep decoding

void on_read(png_structp png, png_bytep out, png_size_t n) {
    auto* src = static_cast<Source*>(png_get_io_ptr(png));
    if (n > src->size - src->pos) png_error(png, "unexpected end of file (the PNG is truncated)");
    std::memcpy(out, src->data + src->pos, n);
    src->pos += n;
}

struct Layout {
    uint32_t width, height, channels, bit_depth;
    size_t row_bytes;
};

// Decodes into `raw` (big-endian samples as libpng delivers them). Returns false and
// leaves libpng's message in src.message on failure.
bool decode_rows(Source& src, Layout& layout, std::vector<uint8_t>& raw,
                 std::vector<png_bytep>& rows) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
    if (!png) {
        std::snprintf(src.message, sizeof src.message, "libpng could not start");
        return false;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        std::snprintf(src.message, sizeof src.message, "libpng could not start");
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        return false;
    }
    png_set_read_fn(png, &src, on_read);
    png_set_user_limits(png, png_max_side, png_max_side);
    // No ancillary chunk (text, ICC profile) can hold more than the file: bound what
    // libpng allocates for one, and for the text it inflates from one.
    png_set_chunk_malloc_max(png, std::max<png_alloc_size_t>(src.size, 1u << 20));
    png_read_info(png, info);

    const int color_type = png_get_color_type(png, info);
    const int depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_alpha(png);  // also removes the alpha that palette expansion adds for tRNS
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    layout.width = png_get_image_width(png, info);
    layout.height = png_get_image_height(png, info);
    layout.channels = png_get_channels(png, info);
    layout.bit_depth = png_get_bit_depth(png, info);
    layout.row_bytes = png_get_rowbytes(png, info);
    if ((layout.channels != 1 && layout.channels != 3) ||
        (layout.bit_depth != 8 && layout.bit_depth != 16)) {
        png_error(png, "unsupported layout after conversion (expected gray or RGB at 8 or 16 bits)");
    }
    raw.resize(layout.row_bytes * layout.height);
    rows.resize(layout.height);
    for (uint32_t y = 0; y < layout.height; ++y) rows[y] = raw.data() + y * layout.row_bytes;
    png_read_image(png, rows.data());
    png_read_end(png, nullptr);
    png_destroy_read_struct(&png, &info, nullptr);
    return true;
}

uint32_t big_endian32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

// Walks the chunk list before libpng sees it: a length field claiming more bytes than the
// file holds would otherwise have libpng allocate it before finding the file short (as
// the IDX, .npy and safetensors readers check their sizes against the file first).
void check_chunk_lengths(const uint8_t* bytes, size_t size, const std::string& name) {
    const auto corrupt = [&](size_t pos, const std::string& what) {
        return Error(name + ": PNG decode error near byte " + std::to_string(pos) + ": " + what +
                     "; the file is corrupt or truncated, re-export it");
    };
    size_t pos = 8;
    while (pos < size) {
        if (size - pos < 12)
            throw corrupt(pos, "the file ends " + std::to_string(size - pos) +
                                   " byte(s) into a chunk header (truncated)");
        const uint32_t length = big_endian32(bytes + pos);
        std::string type(reinterpret_cast<const char*>(bytes + pos + 4), 4);
        for (char& c : type)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) c = '?';
        if (length > 0x7FFFFFFFu || length > size - pos - 12)
            throw corrupt(pos, "chunk '" + type + "' claims " + std::to_string(length) + " bytes of data, but only " +
                                   std::to_string(size - pos - 12) + " remain in the file");
        pos += 12 + size_t(length);
        if (type == "IEND") break;
    }
}

}  // namespace

Png decode_png(const uint8_t* bytes, size_t size, const std::string& name) {
    if (size < 8 || std::memcmp(bytes, png_signature, 8) != 0) {
        throw Error(name + ": not a PNG file (the first 8 bytes are not the PNG signature "
                    "89 50 4E 47 0D 0A 1A 0A); convert the image to PNG or remove it");
    }
    check_chunk_lengths(bytes, size, name);
    Source src{bytes, size, 0, {0}};
    Layout layout{};
    std::vector<uint8_t> raw;
    std::vector<png_bytep> rows;
    if (!decode_rows(src, layout, raw, rows)) {
        throw Error(name + ": PNG decode error near byte " + std::to_string(src.pos) + ": " +
                    src.message + "; the file is corrupt or truncated, re-export it");
    }
    Png png;
    png.width = layout.width;
    png.height = layout.height;
    png.channels = layout.channels;
    png.bit_depth = layout.bit_depth;
    const size_t count = size_t(layout.width) * layout.height * layout.channels;
    png.samples.resize(count);
    for (uint32_t y = 0; y < layout.height; ++y) {
        const uint8_t* row = rows[y];
        uint16_t* out = png.samples.data() + size_t(y) * layout.width * layout.channels;
        const size_t n = size_t(layout.width) * layout.channels;
        if (layout.bit_depth == 8) {
            for (size_t i = 0; i < n; ++i) out[i] = row[i];
        } else {
            for (size_t i = 0; i < n; ++i) out[i] = uint16_t(row[2 * i] << 8 | row[2 * i + 1]);
        }
    }
    return png;
}

Png read_png(const std::string& path) {
    require_regular_file(path, path, "a PNG file");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path + ": cannot open the PNG file (check that it exists and is readable)");
    const std::streamoff size = in.tellg();
    if (size < 0) throw Error(path + ": cannot determine the file size");
    // A PNG within png_max_side never needs this much; refuse before allocating.
    if (size > (std::streamoff(1) << 30)) {
        throw Error(path + ": the file is " + std::to_string(size) +
                    " bytes, more than the 1 GiB accepted for one PNG image");
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.seekg(0);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
        throw Error(path + ": read error after " + std::to_string(in.gcount()) + " bytes");
    }
    return decode_png(bytes.data(), bytes.size(), path);
}

}  // namespace genhost::image
