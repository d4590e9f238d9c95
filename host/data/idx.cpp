#include "data/idx.hpp"

#include "data/bytes.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cstdio>

namespace genhost::data {
namespace {

std::string hex32(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

uint32_t big_endian(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

}  // namespace

IdxArray read_idx(const std::string& path, int ndims) {
    ByteReader in(path);
    const std::string kind = ndims == 3 ? "images" : "labels";
    const uint32_t expected = 0x00000800u | uint32_t(ndims);
    uint8_t head[4];
    in.read_exact(head, 4, "the IDX magic number");
    const uint32_t magic = big_endian(head);
    if (magic != expected) {
        std::string hint;
        if (magic == 0x00000801u || magic == 0x00000803u) {
            hint = " (this is an IDX " + std::string(magic == 0x801u ? "labels" : "images") +
                   " file; were the images and labels files swapped?)";
        } else if ((magic & 0xFFFF0000u) == 0 && (magic & 0xFF00u) != 0x0800u) {
            hint = " (an IDX file whose values are not unsigned bytes; only type 0x08 is supported)";
        } else if (magic == 0x03080000u || magic == 0x01080000u) {
            hint = " (byte-swapped: the header must be big-endian)";
        } else {
            hint = " (not an IDX file)";
        }
        throw Error(path + ": wrong magic number " + hex32(magic) + " at byte 0; expected " +
                    hex32(expected) + " (IDX " + kind + ", unsigned bytes, " +
                    std::to_string(ndims) + " dimension" + (ndims == 1 ? "" : "s") + ")" + hint);
    }
    IdxArray array;
    uint64_t count = 1;
    for (int d = 0; d < ndims; ++d) {
        uint8_t b[4];
        in.read_exact(b, 4, "the IDX dimensions");
        const uint32_t size = big_endian(b);
        if (size == 0 || (d > 0 && size > 65536)) {
            throw Error(path + ": dimension " + std::to_string(d) + " (byte " +
                        std::to_string(4 + 4 * d) + ") is " + std::to_string(size) +
                        "; expected " + (d == 0 ? "at least 1 item" : "an image side in 1..65536"));
        }
        count *= size;
        if (count > uint64_t(max_dataset_elements)) {
            throw Error(path + ": the header's dimensions describe more than " +
                        std::to_string(max_dataset_elements) + " values; the header is "
                        "corrupt or the dataset is too large to hold in memory");
        }
        array.dims.push_back(size);
    }
    const uint64_t header = 4 + 4 * uint64_t(ndims);
    std::string shape;
    for (size_t d = 0; d < array.dims.size(); ++d) {
        shape += (d ? "x" : "") + std::to_string(array.dims[d]);
    }
    if (!in.gzipped()) {  // the exact size is known before reading anything big
        const uint64_t actual = uint64_t(in.file_size());
        if (actual < header + count) {
            throw Error(path + ": truncated: the header says " + shape + " = " +
                        std::to_string(count) + " bytes of " + kind + " after the " +
                        std::to_string(header) + "-byte header, but the file has " +
                        std::to_string(actual) + " bytes in all (expected " +
                        std::to_string(header + count) + "); fetch the file again");
        }
        if (actual > header + count) {
            throw Error(path + ": " + std::to_string(actual - header - count) +
                        " trailing bytes after the last value (byte " +
                        std::to_string(header + count) + ", the header says " + shape +
                        "); the file is damaged or not the one the header describes");
        }
    }
    // Grow as data arrives so that a lying gzip header cannot force a huge allocation.
    const size_t chunk = size_t(1) << 22;
    while (array.values.size() < count) {
        const size_t old = array.values.size();
        const size_t step = size_t(std::min<uint64_t>(chunk, count - old));
        array.values.resize(old + step);
        const size_t got = in.read(array.values.data() + old, step);
        if (got < step) {
            throw Error(path + ": truncated: the header says " + shape + " = " +
                        std::to_string(count) + " bytes of " + kind + ", but the data ends after " +
                        std::to_string(old + got) + " of them (uncompressed byte " +
                        std::to_string(header + old + got) + "); fetch the file again");
        }
    }
    if (!in.at_end()) {
        throw Error(path + ": trailing data after the last value (uncompressed byte " +
                    std::to_string(header + count) + ", the header says " + shape +
                    "); the file is damaged or not the one the header describes");
    }
    return array;
}

Dataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         int64_t num_classes) {
    IdxArray images = read_idx(images_path, 3);
    Dataset ds;
    ds.n = images.dims[0];
    ds.channels = 1;
    ds.height = images.dims[1];
    ds.width = images.dims[2];
    ds.images.resize(images.values.size());
    std::transform(images.values.begin(), images.values.end(), ds.images.begin(),
                   [](uint8_t v) { return float(v) / 255.f; });
    images.values = {};
    ds.source = images_path;
    if (labels_path.empty()) return ds;

    IdxArray labels = read_idx(labels_path, 1);
    if (int64_t(labels.dims[0]) != ds.n) {
        throw Error(labels_path + ": has " + std::to_string(labels.dims[0]) + " labels but " +
                    images_path + " has " + std::to_string(ds.n) +
                    " images; the counts must be equal (are both files from the same split?)");
    }
    int64_t max_label = 0;
    for (size_t i = 0; i < labels.values.size(); ++i) {
        const int64_t label = labels.values[i];
        if (num_classes > 0 && label >= num_classes) {
            throw Error(labels_path + ": label " + std::to_string(label) + " at index " +
                        std::to_string(i) + " (byte " + std::to_string(8 + i) +
                        ") is out of range; expected 0.." + std::to_string(num_classes - 1));
        }
        max_label = std::max(max_label, label);
    }
    ds.labels.assign(labels.values.begin(), labels.values.end());
    ds.num_classes = num_classes > 0 ? num_classes : max_label + 1;
    ds.source += " + " + labels_path;
    return ds;
}

}  // namespace genhost::data
