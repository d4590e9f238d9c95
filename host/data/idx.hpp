// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// a big-endian header (magic 00 00 08 <ndims>, then ndims uint32 sizes) followed by
// unsigned bytes. Raw or gzip-compressed, detected by content, not by name.
//
//   Dataset ds = read_idx_dataset("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
//
// Strict: the magic, the dimensions, the exact file size (truncated files and trailing
// bytes are errors), label values below num_classes and equal image and label counts
// are all checked, and every error names the file and the offset.
#pragma once

#include "data/dataset.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace genhost::data {

struct IdxArray {
    std::vector<uint32_t> dims;   // e.g. {10000, 28, 28}
    std::vector<uint8_t> values;  // product(dims) bytes, row-major
};

// ndims: 3 for images (magic 0x00000803), 1 for labels (magic 0x00000801).
IdxArray read_idx(const std::string& path, int ndims);

// Images [N, H, W] -> Dataset [N, 1, H, W] scaled by 1/255. labels_path may be "" for an
// unlabelled dataset. num_classes: labels must be below it; 0 means max label + 1.
Dataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         int64_t num_classes = 0);

}  // namespace genhost::data
