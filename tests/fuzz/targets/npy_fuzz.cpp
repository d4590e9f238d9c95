// The .npy reader: the header parser alone, then whole files. Any genhost::Error is a
// fine answer.
#include "data/npy.hpp"
#include "util/error.hpp"

#include "memfd.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        (void)genhost::data::parse_npy_header(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    } catch (const genhost::Error&) {
    }
    MemFile file(data, size);
    try {
        (void)genhost::data::read_npy(file.path());
    } catch (const genhost::Error&) {
    }
    return 0;
}
