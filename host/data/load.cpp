#include "data/load.hpp"

#include "data/idx.hpp"
#include "data/image_folder.hpp"
#include "data/mnist.hpp"
#include "data/npy.hpp"
#include "data/shapes.hpp"
#include "util/error.hpp"

namespace genhost::data {

const std::vector<std::string>& dataset_kinds() {
    static const std::vector<std::string> kinds = {"fashion-mnist", "mnist", "idx", "images", "npy", "shapes"};
    return kinds;
}

namespace {

Dataset load_pixels(const DataOptions& opt) {
    if (opt.kind == "fashion-mnist") return load_fashion_mnist(opt.path, opt.split);
    if (opt.kind == "mnist") return load_mnist(opt.path, opt.split);
    if (opt.kind == "idx") {
        if (!opt.images.empty()) return read_idx_dataset(opt.images, opt.labels);
        if (opt.path.empty()) {
            throw Error("data.path: the idx kind needs either data.path (a folder with "
                        "train-images-idx3-ubyte[.gz] and the other MNIST-named files) or "
                        "data.images (and optionally data.labels) naming the IDX files");
        }
        const IdxPair files = find_idx_pair(opt.path, opt.split,
                                            "or set data.images and data.labels to the IDX files");
        return read_idx_dataset(files.images, files.labels);
    }
    if (opt.kind == "images") return load_image_folder(opt.path);
    if (opt.kind == "npy") {
        const std::string& images = !opt.images.empty() ? opt.images : opt.path;
        if (images.empty()) {
            throw Error("data.images: the npy kind needs data.images, the .npy file of images "
                        "[N,H,W] or [N,C,H,W] (and optionally data.labels, a .npy of [N] labels)");
        }
        return read_npy_dataset(images, opt.labels);
    }
    if (opt.kind == "shapes") return make_shapes(opt.shapes);
    std::string known;
    for (const std::string& k : dataset_kinds()) known += (known.empty() ? "" : ", ") + k;
    throw Error("data.kind: unknown dataset kind '" + opt.kind + "'; expected one of " + known);
}

}  // namespace

Dataset load_dataset(const DataOptions& opt) {
    Dataset ds = load_pixels(opt);
    if (opt.binarize)
        for (float& v : ds.images) v = v > 0.5f ? 1.0f : 0.0f;
    return ds;
}

}  // namespace genhost::data
