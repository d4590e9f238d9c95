// MNIST-layout folders: four IDX files named as in the original distribution,
//   train-images-idx3-ubyte[.gz]  train-labels-idx1-ubyte[.gz]   (split "train")
//   t10k-images-idx3-ubyte[.gz]   t10k-labels-idx1-ubyte[.gz]    (split "test")
// `fashion-mnist` defaults to Debian's copy and names its ten classes; `mnist` needs a
// path. Both check that labels are in 0..9.
#pragma once

#include "data/dataset.hpp"

#include <string>

namespace genhost::data {

// path "" = fashion_mnist_default_path. split: "train" or "test".
Dataset load_fashion_mnist(const std::string& path, const std::string& split);
Dataset load_mnist(const std::string& path, const std::string& split);

// The images and labels files of a split in an MNIST-layout folder (the .gz name when
// both exist). Errors name the folder, the file names looked for and `how_to_get`.
struct IdxPair {
    std::string images, labels;
};
IdxPair find_idx_pair(const std::string& folder, const std::string& split,
                      const std::string& how_to_get);

}  // namespace genhost::data
