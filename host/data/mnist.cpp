#include "data/mnist.hpp"

#include "data/idx.hpp"
#include "data/options.hpp"
#include "util/error.hpp"

#include <filesystem>

namespace genhost::data {
namespace fs = std::filesystem;

IdxPair find_idx_pair(const std::string& folder, const std::string& split,
                      const std::string& how_to_get) {
    if (split != "train" && split != "test") {
        throw Error("data.split: '" + split + "' is not a split; expected train or test");
    }
    const std::string prefix = split == "train" ? "train" : "t10k";
    auto find = [&](const std::string& stem) {
        for (const std::string& name : {stem + ".gz", stem}) {
            const fs::path p = fs::path(folder) / name;
            std::error_code ec;
            if (fs::is_regular_file(p, ec)) return p.string();
        }
        std::error_code ec;
        const std::string where = fs::is_directory(folder, ec)
                                      ? "the folder " + folder + " has no file " + stem + "[.gz]"
                                      : "the folder " + folder + " does not exist";
        throw Error(where + " (the " + split + " split of an MNIST-layout dataset); " + how_to_get);
    };
    return {find(prefix + "-images-idx3-ubyte"), find(prefix + "-labels-idx1-ubyte")};
}

Dataset load_fashion_mnist(const std::string& path, const std::string& split) {
    const std::string folder = path.empty() ? fashion_mnist_default_path : path;
    const IdxPair files = find_idx_pair(
        folder, split,
        "install Debian's copy with `apt-get install dataset-fashion-mnist`, or set data.path "
        "to a folder holding the four Fashion-MNIST IDX files");
    Dataset ds = read_idx_dataset(files.images, files.labels, 10);
    ds.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    ds.source = "fashion-mnist " + split + " (" + ds.source + ")";
    return ds;
}

Dataset load_mnist(const std::string& path, const std::string& split) {
    if (path.empty()) {
        throw Error("data.path: the mnist kind needs a path: set data.path to a folder holding "
                    "train-images-idx3-ubyte.gz and the three other MNIST IDX files");
    }
    const IdxPair files = find_idx_pair(
        path, split, "set data.path to a folder holding the four MNIST IDX files");
    Dataset ds = read_idx_dataset(files.images, files.labels, 10);
    ds.source = "mnist " + split + " (" + ds.source + ")";
    return ds;
}

}  // namespace genhost::data
