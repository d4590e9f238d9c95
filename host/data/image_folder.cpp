#include "data/image_folder.hpp"

#include "image/png.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace genhost::data {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct Listing {
    std::vector<fs::path> pngs;     // sorted
    std::vector<fs::path> folders;  // sorted
};

Listing list(const fs::path& folder) {
    Listing out;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        const std::string name = p.filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code ec2;
        if (fs::is_directory(p, ec2)) {
            out.folders.push_back(p);
            continue;
        }
        const std::string ext = lower(p.extension().string());
        if (ext == ".png") {
            out.pngs.push_back(p);
        } else if (ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".gif" ||
                   ext == ".webp" || ext == ".tif" || ext == ".tiff" || ext == ".ppm") {
            throw Error(p.string() + ": only PNG images are read; convert the folder's images "
                        "to PNG (e.g. `mogrify -format png *" + ext + "`) or remove this file");
        }
    }
    if (ec) throw Error(folder.string() + ": cannot list the folder: " + ec.message());
    std::sort(out.pngs.begin(), out.pngs.end());
    std::sort(out.folders.begin(), out.folders.end());
    return out;
}

std::string size_text(const image::Png& png) {
    return std::to_string(png.width) + "x" + std::to_string(png.height) + " " +
           (png.channels == 1 ? "gray" : "RGB");
}

}  // namespace

Dataset load_image_folder(const std::string& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw Error("data.path: " + (folder.empty() ? std::string("(empty)") : folder) +
                    " is not a folder; the images kind needs a folder of PNG files or of "
                    "one sub-folder of PNG files per class");
    }
    const Listing top = list(folder);
    Dataset ds;
    std::vector<fs::path> files;
    if (!top.pngs.empty() && !top.folders.empty()) {
        throw Error(folder + ": holds both PNG files (" + top.pngs[0].filename().string() +
                    ") and sub-folders (" + top.folders[0].filename().string() +
                    "); use either a flat folder of PNGs (unlabelled) or one sub-folder per class");
    }
    if (!top.pngs.empty()) {
        files = top.pngs;
    } else {
        for (const fs::path& sub : top.folders) {
            const Listing inside = list(sub);
            if (inside.pngs.empty()) {
                throw Error(sub.string() + ": the class folder '" + sub.filename().string() +
                            "' holds no PNG files; add images or remove the folder");
            }
            const int64_t label = int64_t(ds.class_names.size());
            ds.class_names.push_back(sub.filename().string());
            for (const fs::path& p : inside.pngs) {
                files.push_back(p);
                ds.labels.push_back(label);
            }
        }
        ds.num_classes = int64_t(ds.class_names.size());
    }
    if (files.empty()) {
        throw Error(folder + ": no PNG files found (looked for *.png in the folder and in its "
                    "sub-folders)");
    }

    std::string first_name;
    image::Png first;
    for (size_t i = 0; i < files.size(); ++i) {
        const std::string path = files[i].string();
        image::Png png = image::read_png(path);
        if (i == 0) {
            first = png;
            first_name = path;
            ds.n = int64_t(files.size());
            ds.channels = png.channels;
            ds.height = png.height;
            ds.width = png.width;
            if (ds.n > max_dataset_elements / ds.image_size()) {
                throw Error(folder + ": " + std::to_string(ds.n) + " images of " + size_text(png) +
                            " are too many to hold in memory");
            }
            ds.images.resize(size_t(ds.n * ds.image_size()));
        } else if (png.width != first.width || png.height != first.height ||
                   png.channels != first.channels) {
            throw Error(path + ": is " + size_text(png) + " but the first image, " + first_name +
                        ", is " + size_text(first) + "; all images must have the same size and "
                        "channel count (resize or convert them first)");
        }
        // HWC samples -> CHW floats in [0, 1]
        const float max = float(png.max_value());  // divide, as torchvision's to_tensor
        float* out = ds.images.data() + i * size_t(ds.image_size());
        const size_t plane = size_t(png.width) * png.height;
        for (size_t px = 0; px < plane; ++px) {
            for (uint32_t c = 0; c < png.channels; ++c) {
                out[c * plane + px] = float(png.samples[px * png.channels + c]) / max;
            }
        }
    }
    ds.source = "images " + folder;
    return ds;
}

}  // namespace genhost::data
