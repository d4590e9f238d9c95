// NumPy .npy arrays (format versions 1.0, 2.0 and 3.0), as written by np.save:
//   images: uint8 [N,H,W] or [N,C,H,W] (scaled by 1/255), or float32/float64 in [0, 1]
//   labels: int64, int32 or uint8 [N], values >= 0
// Little-endian (or byte-sized) dtypes and C order only; everything else is a clear
// error that says how to convert the array in NumPy.
#pragma once

#include "data/dataset.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace genhost::data {

struct NpyHeader {
    std::string dtype;            // "u1", "i4", "i8", "f4" or "f8"
    bool fortran_order = false;
    std::vector<int64_t> shape;
};

struct NpyArray {
    NpyHeader header;
    std::vector<uint8_t> data;    // count() * item size bytes, little-endian, C order
    int64_t count() const;
};

// Parses the header dictionary text, e.g. "{'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }". `path` is used in messages. Rejects what read_npy cannot load.
NpyHeader parse_npy_header(const std::string& text, const std::string& path);

NpyArray read_npy(const std::string& path);

// labels_path "" = unlabelled.
Dataset read_npy_dataset(const std::string& images_path, const std::string& labels_path);

}  // namespace genhost::data
