// The PNG decoder (image folders): any colour type, bit depth, interlacing, chunk.
// Any genhost::Error is a fine answer.
#include "image/png.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        (void)genhost::image::decode_png(data, size, "fuzz.png");
    } catch (const genhost::Error&) {
    }
    return 0;
}
