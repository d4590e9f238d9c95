#include "data/loader.hpp"

#include "data/rng.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace genhost::data {
namespace {
std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
}  // namespace

struct DataLoader::Prefetcher {
    const DataLoader& loader;
    const size_t depth;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch> ready;
    std::exception_ptr error;
    bool stop = false;
    std::thread thread;

    Prefetcher(const DataLoader& l, size_t d, int64_t epoch, int64_t index) : loader(l), depth(d) {
        thread = std::thread([this, epoch, index] { run(epoch, index); });
    }
    ~Prefetcher() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stop = true;
        }
        changed.notify_all();
        thread.join();
    }

    void run(int64_t epoch, int64_t index) {
        Order cache;  // the worker's own, so it shares nothing mutable with the caller
        try {
            while (true) {
                {
                    std::unique_lock<std::mutex> lock(mutex);
                    changed.wait(lock, [&] { return stop || ready.size() < depth; });
                    if (stop) return;
                }
                Batch batch = loader.assemble(loader.order_for(cache, epoch), epoch, index);
                loader.advance(epoch, index);
                {
                    std::lock_guard<std::mutex> lock(mutex);
                    ready.push_back(std::move(batch));
                }
                changed.notify_all();
            }
        } catch (...) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                error = std::current_exception();
            }
            changed.notify_all();
        }
    }

    Batch pop() {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return !ready.empty() || error; });
        if (ready.empty()) std::rethrow_exception(error);  // the worker has stopped for good
        Batch batch = std::move(ready.front());
        ready.pop_front();
        lock.unlock();
        changed.notify_all();
        return batch;
    }
};

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, const DataOptions& options)
    : dataset_(std::move(dataset)), options_(options) {
    if (!dataset_ || dataset_->n < 1) throw Error("data: the dataset is empty");
    const Dataset& ds = *dataset_;
    const DataOptions& o = options_;
    // The readers guarantee these; a Dataset built by hand might not, and a mismatch
    // would make batches read past the end.
    if (ds.channels < 1 || ds.height < 1 || ds.width < 1 ||
        int64_t(ds.images.size()) != ds.n * ds.image_size() ||
        (ds.labelled() && int64_t(ds.labels.size()) != ds.n)) {
        throw Error("data: " + ds.source + ": inconsistent dataset (" + std::to_string(ds.n) + " images of " +
                    std::to_string(ds.channels) + "x" + std::to_string(ds.height) + "x" +
                    std::to_string(ds.width) + ", " + std::to_string(ds.images.size()) + " values, " +
                    std::to_string(ds.labels.size()) + " labels)");
    }
    for (size_t i = 0; i < ds.labels.size(); ++i) {
        if (ds.labels[i] < 0 || ds.labels[i] >= ds.num_classes) {
            throw Error("data: " + ds.source + ": label " + std::to_string(ds.labels[i]) + " of example " +
                        std::to_string(i) + " is outside 0.." + std::to_string(ds.num_classes - 1));
        }
    }
    if (o.batch_size < 1) {
        throw Error("data.batch_size: expected a positive number of examples, got " +
                    std::to_string(o.batch_size));
    }
    if (!(o.range_max > o.range_min) || !std::isfinite(o.range_min) || !std::isfinite(o.range_max)) {
        throw Error("data.range: [" + number(o.range_min) + ", " + number(o.range_max) +
                    "] is not a range; expected finite min < max, usually [0, 1] or [-1, 1]");
    }
    if (o.limit < 0) throw Error("data.limit: expected 0 (all) or a positive count, got " + std::to_string(o.limit));
    if (o.prefetch < 0 || o.prefetch > 64) {
        throw Error("data.prefetch: expected 0 (off) to 64 batches, got " + std::to_string(o.prefetch));
    }
    std::vector<bool> keep;
    if (!o.classes.empty()) {
        if (!ds.labelled()) {
            throw Error("data.classes: " + ds.source + " has no labels, so classes cannot be "
                        "selected; remove data.classes");
        }
        keep.assign(size_t(ds.num_classes), false);
        for (int64_t c : o.classes) {
            if (c < 0 || c >= ds.num_classes) {
                throw Error("data.classes: class " + std::to_string(c) + " does not exist in " +
                            ds.source + "; expected 0.." + std::to_string(ds.num_classes - 1));
            }
            keep[size_t(c)] = true;
        }
    }
    for (int64_t i = 0; i < ds.n; ++i) {
        if (!keep.empty() && !keep[size_t(ds.labels[size_t(i)])]) continue;
        selected_.push_back(i);
        if (o.limit > 0 && int64_t(selected_.size()) == o.limit) break;
    }
    if (selected_.empty()) {
        throw Error("data.classes: no example of " + ds.source + " has one of the selected classes");
    }
    if (o.shard_count < 1 || o.shard_rank < 0 || o.shard_rank >= o.shard_count)
        throw Error("data loader: shard " + std::to_string(o.shard_rank) + " of " + std::to_string(o.shard_count) +
                    " does not exist");
    const int64_t n = size(), global = o.batch_size * o.shard_count;
    batches_per_epoch_ = o.drop_last ? n / global : (n + global - 1) / global;
    if (batches_per_epoch_ == 0) {
        throw Error("data.batch_size: " + std::to_string(o.batch_size) +
                    (o.shard_count > 1 ? " per process, " + std::to_string(global) + " for the " +
                                             std::to_string(o.shard_count) + " processes," : std::string()) +
                    " is more than the " + std::to_string(n) + " examples, and drop_last drops the only (short) "
                    "batch; lower batch_size or set drop_last to false");
    }
}

DataLoader::~DataLoader() = default;  // ~Prefetcher stops and joins the worker

std::vector<int64_t> DataLoader::epoch_order(int64_t epoch) const {
    std::vector<int64_t> order = selected_;
    if (options_.shuffle) {
        // Fisher-Yates from the end, one draw per position.
        Rng rng(derive_seed(options_.seed, uint64_t(epoch)));
        for (size_t i = order.size(); i > 1; --i) {
            std::swap(order[i - 1], order[size_t(rng.below(i))]);
        }
    }
    return order;
}

const std::vector<int64_t>& DataLoader::order_for(Order& cache, int64_t epoch) const {
    if (cache.epoch != epoch) {
        cache.indices = epoch_order(epoch);
        cache.epoch = epoch;
    }
    return cache.indices;
}

Batch DataLoader::assemble(const std::vector<int64_t>& order, int64_t epoch, int64_t index) const {
    const Dataset& ds = *dataset_;
    // This shard's rows of global batch `index` (all of it in a world of one).
    const int64_t global = options_.batch_size * options_.shard_count;
    const int64_t global_end = std::min((index + 1) * global, size());
    const int64_t begin = std::min(index * global + options_.shard_rank * options_.batch_size, global_end);
    const int64_t end = std::min(begin + options_.batch_size, global_end);
    Batch b;
    b.epoch = epoch;
    b.index = index;
    b.size = end - begin;
    b.channels = ds.channels;
    b.height = ds.height;
    b.width = ds.width;
    const int64_t per = ds.image_size();
    b.images.resize(size_t(b.size * per));
    const float scale = options_.range_max - options_.range_min, shift = options_.range_min;
    const bool identity = scale == 1.f && shift == 0.f;
    for (int64_t k = 0; k < b.size; ++k) {
        const float* src = ds.image(order[size_t(begin + k)]);
        float* dst = b.images.data() + k * per;
        if (identity) {
            std::copy(src, src + per, dst);
        } else {
            for (int64_t j = 0; j < per; ++j) dst[j] = src[j] * scale + shift;
        }
    }
    if (ds.labelled()) {
        b.labels.resize(size_t(b.size));
        for (int64_t k = 0; k < b.size; ++k) b.labels[size_t(k)] = ds.labels[size_t(order[size_t(begin + k)])];
    }
    if (transform_) transform_(b);
    return b;
}

void DataLoader::advance(int64_t& epoch, int64_t& index) const {
    if (++index == batches_per_epoch_) {
        index = 0;
        ++epoch;
    }
}

Batch DataLoader::batch_at(int64_t epoch, int64_t index) const {
    if (epoch < 0 || index < 0 || index >= batches_per_epoch_) {
        throw Error("data loader: batch " + std::to_string(index) + " of epoch " + std::to_string(epoch) +
                    " does not exist; an epoch has batches 0.." + std::to_string(batches_per_epoch_ - 1));
    }
    return assemble(epoch_order(epoch), epoch, index);
}

void DataLoader::set_transform(std::function<void(Batch&)> transform) {
    prefetcher_.reset();  // batches already assembled ahead were made without it
    transform_ = std::move(transform);
}

void DataLoader::seek(int64_t epoch, int64_t index) {
    if (epoch < 0 || index < 0 || index >= batches_per_epoch_) {
        throw Error("data loader: cannot resume at batch " + std::to_string(index) + " of epoch " +
                    std::to_string(epoch) + "; an epoch has batches 0.." +
                    std::to_string(batches_per_epoch_ - 1) + " (did batch_size or the dataset "
                    "change since the checkpoint?)");
    }
    prefetcher_.reset();
    epoch_ = epoch;
    index_ = index;
    last_epoch_ = epoch;
}

Batch DataLoader::next() {
    Batch batch;
    if (options_.prefetch > 0) {
        if (!prefetcher_) prefetcher_ = std::make_unique<Prefetcher>(*this, size_t(options_.prefetch), epoch_, index_);
        batch = prefetcher_->pop();
    } else {
        batch = assemble(order_for(order_, epoch_), epoch_, index_);
    }
    advance(epoch_, index_);
    last_epoch_ = batch.epoch;
    return batch;
}

}  // namespace genhost::data
