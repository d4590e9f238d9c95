// The IDX reader (MNIST files, plain or gzipped), as images (3 dimensions) and as labels
// (1 dimension). Any genhost::Error is a fine answer.
#include "data/idx.hpp"
#include "util/error.hpp"

#include "memfd.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    MemFile file(data, size);
    for (int ndims : {3, 1}) {
        try {
            (void)genhost::data::read_idx(file.path(), ndims);
        } catch (const genhost::Error&) {
        }
    }
    return 0;
}
