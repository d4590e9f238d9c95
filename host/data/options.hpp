// What to load and how to batch it: the `data:` section of a pipeline, as a plain struct.
// Start from data_default_options() and change what you need; load_dataset (load.hpp)
// reads the first group of fields, DataLoader (loader.hpp) the second.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genhost::data {

struct ShapesOptions {
    int64_t count    = 10000;  // number of images generated
    int64_t size     = 28;     // side in pixels (square images)
    int64_t channels = 1;      // 1: white shapes on black; 3: coloured shapes on black
    uint64_t seed    = 0;      // generator seed; the same seed gives the same images
};

struct DataOptions {
    // --- which dataset (load_dataset) ---
    std::string kind = "fashion-mnist";  // fashion-mnist | mnist | idx | images | npy | shapes
    std::string path;     // folder; "" = the kind's default (fashion-mnist only)
    std::string split = "train";  // train | test (fashion-mnist, mnist, idx folder)
    std::string images;   // idx/npy: explicit images file (overrides path/split)
    std::string labels;   // idx/npy: explicit labels file; "" = none (npy) / by split (idx)
    ShapesOptions shapes;
    bool binarize = false;  // pixels x > 0.5 become 1, the rest 0 (binarized MNIST)

    // --- how to batch it (DataLoader) ---
    int64_t batch_size = 64;
    float range_min = 0.f;     // pixel value 0 becomes range_min ...
    float range_max = 1.f;     // ... and 1 becomes range_max: (0,1) or (-1,1)
    int64_t limit = 0;         // keep the first `limit` examples (after `classes`); 0 = all
    std::vector<int64_t> classes;  // keep only these labels; empty = all
    bool shuffle = true;       // a new permutation each epoch, from seed and epoch
    uint64_t seed = 0;         // shuffle seed
    bool drop_last = false;    // drop the last batch of an epoch when it is short
    int64_t prefetch = 1;      // batches assembled ahead on a background thread; 0 = none
    // Data parallelism (set by the host, not the pipeline): the global batch is
    // batch_size * shard_count examples, in the order one process would see them, and
    // this process gets its rows shard_rank * batch_size .. + batch_size. Epochs count
    // global batches; the last, short one may leave a rank fewer rows, or none.
    int64_t shard_rank = 0, shard_count = 1;
};

inline DataOptions data_default_options() { return DataOptions{}; }

// Where Debian's dataset-fashion-mnist package puts the files.
constexpr const char* fashion_mnist_default_path = "/usr/share/datasets/fashion-mnist";

}  // namespace genhost::data
