// One entry point from options to a Dataset, dispatching on DataOptions::kind:
//   fashion-mnist  path (default /usr/share/datasets/fashion-mnist), split
//   mnist          path (required), split
//   idx            path + split (MNIST file names), or images [+ labels] files
//   images         path: a folder of PNGs, optionally one sub-folder per class
//   npy            images [+ labels] .npy files (or path = the images file)
//   shapes         shapes.count, shapes.size, shapes.channels, shapes.seed
// Errors name the option (data.<field>) or the file, and say how to fix it.
#pragma once

#include "data/dataset.hpp"
#include "data/options.hpp"

namespace genhost::data {

Dataset load_dataset(const DataOptions& options);

// The dataset kinds load_dataset knows, for help texts and messages.
const std::vector<std::string>& dataset_kinds();

}  // namespace genhost::data
