#include "train/data_parallel.hpp"

#include <genhost/genhost.h>

#include <algorithm>
#include <chrono>

#include "dist/world.hpp"

namespace genhost::train {

DataParallel::DataParallel(const ModelState& model) {
    for (const ModelTensor& t : model.tensors()) {
        state_.push_back(&t);
        if (t.buffer && t.reduce != 0) shared_.push_back(&t);
    }
}

bool DataParallel::active() const { return dist::world().parallel(); }

void DataParallel::broadcast_state() const {
    if (!active()) return;
    size_t n = 0;
    for (const ModelTensor* t : state_) n += t->size;
    std::vector<float> all(n);
    size_t at = 0;
    for (const ModelTensor* t : state_) at = std::copy(t->value, t->value + t->size, all.begin() + at) - all.begin();
    dist::broadcast(all.data(), all.size());
    at = 0;
    for (const ModelTensor* t : state_) std::copy(all.begin() + at, all.begin() + at + t->size, t->value), at += t->size;
}

DataParallel::Combined DataParallel::combine(const std::vector<ParamSlot>& grads, float* losses, size_t loss_count,
                                             int64_t rows, bool failed, bool stop) {
    const dist::World& w = dist::world();
    size_t n = loss_count + 2 + static_cast<size_t>(w.size);
    for (const ParamSlot& s : grads) n += s.size;
    for (const ModelTensor* t : shared_) n += t->size;
    buffer_.resize(n);

    // Pack: what the sum must weight by rows is scaled here.
    const float weight = static_cast<float>(rows);
    float* p = buffer_.data();
    for (const ParamSlot& s : grads)
        for (size_t i = 0; i < s.size; ++i) *p++ = s.grad[i] * weight;
    for (const ModelTensor* t : shared_) p = std::copy(t->value, t->value + t->size, p);
    for (size_t i = 0; i < loss_count; ++i) *p++ = losses[i] * weight;
    float* totals = p;
    *p++ = weight;
    std::fill(p, p + w.size, 0.0f);
    p[w.rank] = failed ? 1.0f : 0.0f;
    p += w.size;
    *p = stop ? 1.0f : 0.0f;

    const auto start = std::chrono::steady_clock::now();
    dist::allreduce_sum(buffer_.data(), buffer_.size());
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    Combined c;
    c.rows = totals[0];
    for (int r = 0; r < w.size; ++r)
        if (totals[1 + r] > 0) c.failed_ranks.push_back(r);
    c.stop = totals[1 + w.size] > 0;
    if (!c.failed_ranks.empty()) return c;  // the trainer stops; nothing is unpacked

    const float inverse = c.rows > 0 ? static_cast<float>(1.0 / c.rows) : 0.0f;
    const float ranks = 1.0f / static_cast<float>(w.size);
    p = buffer_.data();
    for (const ParamSlot& s : grads)
        for (size_t i = 0; i < s.size; ++i) s.grad[i] = *p++ * inverse;
    for (const ModelTensor* t : shared_) {
        const float scale = t->reduce == GENHOST_PARAMETER_REDUCE_MEAN ? ranks : 1.0f;
        for (size_t i = 0; i < t->size; ++i) t->value[i] = *p++ * scale;
    }
    for (size_t i = 0; i < loss_count; ++i) losses[i] = *p++ * inverse;
    return c;
}

}  // namespace genhost::train
