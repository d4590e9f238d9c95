// A dataset held in memory: images as float32 [N, C, H, W] in [0, 1], optional labels.
//
//   genhost::data::DataOptions opt = genhost::data::data_default_options();
//   opt.kind = "fashion-mnist";
//   genhost::data::Dataset ds = genhost::data::load_dataset(opt);   // data/load.hpp
//   const float* first = ds.image(0);                               // C*H*W floats
//
// Every reader (idx.hpp, mnist.hpp, image_folder.hpp, npy.hpp, shapes.hpp) returns one
// of these; the DataLoader (loader.hpp) batches it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/options.hpp"

namespace genhost::data {

struct Dataset {
    int64_t n = 0, channels = 0, height = 0, width = 0;
    std::vector<float> images;         // n * channels * height * width, NCHW, each in [0, 1]
    std::vector<int64_t> labels;       // n labels in [0, num_classes), or empty (unlabelled)
    int64_t num_classes = 0;           // 0 when unlabelled
    std::vector<std::string> class_names;  // num_classes names, or empty when classes are numbers
    std::string source;                // where it came from (paths, generator), for messages

    int64_t image_size() const { return channels * height * width; }
    const float* image(int64_t i) const { return images.data() + i * image_size(); }
    bool labelled() const { return !labels.empty(); }
};

// One paragraph for the user: source, count, shape, classes and the label mapping,
// e.g. "images /data/pets: 120 images 3x32x32, 2 classes: 0=cat 1=dog".
std::string describe(const Dataset& dataset);

// The same, then how many examples training uses when data.limit or data.classes keep
// fewer than all, as the DataLoader selects them, e.g. "...: 60000 images 1x28x28, 10
// classes: ...; 256 of them used (data.limit)". (The run stage prints this line.)
std::string describe(const Dataset& dataset, const DataOptions& options);

// Largest dataset accepted, in float32 elements (16 GiB). A header claiming more is
// reported as an error rather than attempted.
constexpr int64_t max_dataset_elements = int64_t(1) << 32;

}  // namespace genhost::data
