#include "data/npy.hpp"

#include "data/bytes.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace genhost::data {
namespace {

// Largest header accepted: NumPy pads headers to 64 bytes; real ones are under 1 KB.
constexpr uint32_t max_header_bytes = 1 << 16;

int64_t item_size(const std::string& dtype) {
    return dtype == "u1" ? 1 : (dtype == "i4" || dtype == "f4") ? 4 : 8;
}

uint32_t little_endian(const uint8_t* p, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = v << 8 | p[i];
    return v;
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "load() reads NumPy's little-endian data in host order");

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

std::string dtype_name(const std::string& code) {
    return code == "u1" ? "uint8" : code == "i4" ? "int32" : code == "i8" ? "int64" : code == "f4" ? "float32" : "float64";
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

int64_t NpyArray::count() const {
    int64_t n = 1;
    for (int64_t d : header.shape) n *= d;
    return n;
}

NpyArray read_npy(const std::string& path) {
    require_regular_file(path);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path + ": cannot open the .npy file (check that it exists and is readable)");
    const std::streamoff file_size = in.tellg();
    if (file_size < 0) throw Error(path + ": cannot determine the file size (is it a folder?)");
    in.seekg(0);
    uint8_t pre[12] = {0};
    in.read(reinterpret_cast<char*>(pre), 12);
    const std::streamsize got = in.gcount();
    if (got >= 2 && pre[0] == 'P' && pre[1] == 'K') {
        throw Error(path + ": this is a zip archive (.npz), not a .npy array; save each array "
                    "with np.save(path, a)");
    }
    if (got < 10 || std::memcmp(pre, "\x93NUMPY", 6) != 0) {
        throw Error(path + ": not a .npy file (it does not start with \\x93NUMPY); write it with np.save");
    }
    const int major = pre[6];
    if (major < 1 || major > 3) {
        throw Error(path + ": .npy format version " + std::to_string(major) + "." +
                    std::to_string(pre[7]) + " is not supported; expected 1.0, 2.0 or 3.0");
    }
    const int len_bytes = major == 1 ? 2 : 4;
    if (got < 8 + len_bytes) throw Error(path + ": truncated inside the .npy preamble");
    const uint32_t header_len = little_endian(pre + 8, len_bytes);
    const int64_t data_start = 8 + len_bytes + int64_t(header_len);
    if (header_len > max_header_bytes) {
        throw Error(path + ": the .npy header claims " + std::to_string(header_len) +
                    " bytes, more than the " + std::to_string(max_header_bytes) +
                    " accepted; the file is corrupt");
    }
    if (file_size < data_start) {
        throw Error(path + ": truncated: the file ends at byte " + std::to_string(file_size) +
                    " inside the " + std::to_string(header_len) + "-byte header");
    }
    std::string text(header_len, '\0');
    in.seekg(8 + len_bytes);
    in.read(text.data(), header_len);

    NpyArray array;
    array.header = parse_npy_header(text, path);
    int64_t count = 1;
    for (int64_t d : array.header.shape) {
        if (d != 0 && count > max_dataset_elements / d) {
            throw Error(path + ": shape " + shape_text(array.header.shape) + " has more than " +
                        std::to_string(max_dataset_elements) + " elements, too many to load");
        }
        count *= d;
    }
    const int64_t data_bytes = count * item_size(array.header.dtype);
    if (file_size - data_start != data_bytes) {
        const bool shorter = file_size - data_start < data_bytes;
        throw Error(path + ": " + (shorter ? "truncated: " : "trailing bytes: ") + "the header says shape " +
                    shape_text(array.header.shape) + " of " + dtype_name(array.header.dtype) + " = " +
                    std::to_string(data_bytes) + " data bytes from byte " + std::to_string(data_start) +
                    ", but the file has " + std::to_string(file_size - data_start) +
                    "; the file is damaged, write it again with np.save");
    }
    array.data.resize(size_t(data_bytes));
    if (data_bytes > 0 && !in.read(reinterpret_cast<char*>(array.data.data()), data_bytes)) {
        throw Error(path + ": read error in the array data");
    }
    return array;
}

Dataset read_npy_dataset(const std::string& images_path, const std::string& labels_path) {
    const NpyArray images = read_npy(images_path);
    const auto& shape = images.header.shape;
    if (shape.size() != 3 && shape.size() != 4) {
        throw Error(images_path + ": images have shape " + shape_text(shape) +
                    "; expected [N, H, W] or [N, C, H, W]");
    }
    Dataset ds;
    ds.n = shape[0];
    ds.channels = shape.size() == 4 ? shape[1] : 1;
    ds.height = shape[shape.size() - 2];
    ds.width = shape[shape.size() - 1];
    if (ds.n == 0 || ds.channels == 0 || ds.height == 0 || ds.width == 0) {
        throw Error(images_path + ": images have shape " + shape_text(shape) + "; no dimension may be 0");
    }
    if (ds.channels > 4) {
        throw Error(images_path + ": images have shape " + shape_text(shape) + ", i.e. " +
                    std::to_string(ds.channels) + " channels; expected [N, C, H, W] with C <= 4 "
                    "(channels-last arrays need a.transpose(0, 3, 1, 2))");
    }
    const std::string& dtype = images.header.dtype;
    const int64_t count = images.count();
    ds.images.resize(size_t(count));
    const uint8_t* p = images.data.data();
    float* out = ds.images.data();
    if (dtype == "u1") {
        for (int64_t i = 0; i < count; ++i) out[i] = float(p[i]) / 255.f;
    } else if (dtype == "f4" || dtype == "f8") {
        const bool f4 = dtype == "f4";
        for (int64_t i = 0; i < count; ++i) {
            const float v = f4 ? load<float>(p + 4 * i) : float(load<double>(p + 8 * i));
            if (!(v >= 0.f && v <= 1.f)) {  // also catches NaN
                throw Error(images_path + ": value " + number(v) + " at flat index " +
                            std::to_string(i) + " is outside [0, 1]; float images must be scaled "
                            "to [0, 1] (e.g. a / 255) or saved as uint8");
            }
            out[i] = v;
        }
    } else {
        throw Error(images_path + ": image dtype " + dtype_name(dtype) + " is not supported; "
                    "expected uint8, float32 or float64: save a.astype(np.float32)");
    }
    ds.source = images_path;
    if (labels_path.empty()) return ds;

    const NpyArray labels = read_npy(labels_path);
    if (labels.header.shape.size() != 1 || labels.header.shape[0] != ds.n) {
        throw Error(labels_path + ": labels have shape " + shape_text(labels.header.shape) +
                    " but " + images_path + " has " + std::to_string(ds.n) +
                    " images; expected shape (" + std::to_string(ds.n) + ",)");
    }
    const std::string& ltype = labels.header.dtype;
    if (ltype != "i8" && ltype != "i4" && ltype != "u1") {
        throw Error(labels_path + ": label dtype " + dtype_name(ltype) + " is not supported; expected int64, "
                    "int32 or uint8: save a.astype(np.int64)");
    }
    ds.labels.resize(size_t(ds.n));
    int64_t max_label = 0;
    for (int64_t i = 0; i < ds.n; ++i) {
        const uint8_t* q = labels.data.data();
        const int64_t v = ltype == "u1" ? q[i] : ltype == "i4" ? load<int32_t>(q + 4 * i) : load<int64_t>(q + 8 * i);
        if (v < 0 || v >= 65536) {
            throw Error(labels_path + ": label " + std::to_string(v) + " at index " + std::to_string(i) +
                        " is out of range; expected class numbers 0..65535");
        }
        ds.labels[size_t(i)] = v;
        max_label = std::max(max_label, v);
    }
    ds.num_classes = max_label + 1;
    ds.source += " + " + labels_path;
    return ds;
}

}  // namespace genhost::data
