// Batches of a Dataset for training: contiguous float32 [B, C, H, W] plus labels.
//
//   auto ds = std::make_shared<const Dataset>(load_dataset(opt));
//   DataLoader loader(ds, opt);
//   loader.seek(epoch, batch);           // resuming: the batches a fresh run would see
//   for (int step = 0; step < steps; ++step) {
//       Batch b = loader.next();         // b.epoch, b.index say where it came from
//       train_step(b.images.data(), b.size, ...);
//   }
//
// The sequence is a pure function of (dataset, options): epoch e visits the examples
// kept by `classes` and `limit` in the order epoch_order(e), a permutation drawn from
// derive_seed(seed, e) when shuffle is on, so batch_at(e, i) is the same whether it is
// reached by next(), after seek(), or with prefetching on or off. next() runs on
// forever, epoch after epoch.
//
// Prefetching: with options.prefetch > 0 a background thread assembles up to that many
// batches ahead. It starts on the first next(), is stopped and joined by seek() and
// the destructor (never a hang: it waits only for queue room or stop), and an
// exception it meets is rethrown by next() once the batches before it are consumed.
// Thread rule: one DataLoader is used from one thread (its worker is internal); the
// Dataset is shared read-only and may back several loaders.
#pragma once

#include "data/dataset.hpp"
#include "data/options.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace genhost::data {

struct Batch {
    int64_t epoch = 0, index = 0;     // batch `index` of epoch `epoch`
    int64_t size = 0, channels = 0, height = 0, width = 0;
    std::vector<float> images;        // size * channels * height * width, NCHW,
                                      // in [range_min, range_max]
    std::vector<int64_t> labels;      // size labels, or empty for an unlabelled dataset
};

class DataLoader {
public:
    // Validates the batching options against the dataset (errors name data.<field>).
    DataLoader(std::shared_ptr<const Dataset> dataset, const DataOptions& options);
    ~DataLoader();
    DataLoader(const DataLoader&) = delete;
    DataLoader& operator=(const DataLoader&) = delete;

    int64_t size() const { return int64_t(selected_.size()); }  // examples per epoch
    int64_t batches_per_epoch() const { return batches_per_epoch_; }
    const Dataset& dataset() const { return *dataset_; }
    const DataOptions& options() const { return options_; }

    // Dataset indices in the order epoch `epoch` visits them.
    std::vector<int64_t> epoch_order(int64_t epoch) const;
    // Batch `index` of epoch `epoch`, computed synchronously (O(size) for the order).
    Batch batch_at(int64_t epoch, int64_t index) const;

    // A function applied to every batch after assembly (augmentation, conversion), on the
    // prefetch thread when prefetching. It must depend only on the batch (its epoch and
    // index may seed randomness) for resuming to stay exact; what it throws reaches the
    // caller of next() or batch_at(). Set it before the first next(); an empty function clears it.
    void set_transform(std::function<void(Batch&)> transform);

    // Makes next() return batch_at(epoch, index) and continue from there.
    void seek(int64_t epoch, int64_t index);
    Batch next();
    int64_t epoch() const { return epoch_; }  // where the next next() comes from
    int64_t index() const { return index_; }
    // The epoch of the batch next() returned last (epoch() before any): the epoch a step
    // trained on. After an epoch's last batch, epoch() has already moved on to the next.
    int64_t last_epoch() const { return last_epoch_; }

private:
    struct Order {
        int64_t epoch = -1;
        std::vector<int64_t> indices;
    };
    struct Prefetcher;

    const std::vector<int64_t>& order_for(Order& cache, int64_t epoch) const;
    Batch assemble(const std::vector<int64_t>& order, int64_t epoch, int64_t index) const;
    void advance(int64_t& epoch, int64_t& index) const;

    std::shared_ptr<const Dataset> dataset_;
    DataOptions options_;
    std::vector<int64_t> selected_;   // dataset indices kept by classes and limit
    int64_t batches_per_epoch_ = 0;
    int64_t epoch_ = 0, index_ = 0;
    int64_t last_epoch_ = 0;
    std::function<void(Batch&)> transform_;
    Order order_;                     // synchronous path's cache
    std::unique_ptr<Prefetcher> prefetcher_;
};

}  // namespace genhost::data
