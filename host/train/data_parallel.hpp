// Data parallelism inside the training loop: after every phase call, what each rank
// computed on its share of the global batch is combined with one allreduce, so every
// rank takes the same optimizer step with the same weights (docs/distributed.md).
//
// One fused buffer per call, not one allreduce per tensor:
//   [ the group's gradients x rows | shared buffers | losses x rows | rows | failed[rank] | stop ]
// Gradients and losses are weighted by this rank's rows and divided by the total, so
// the result is the mean over the global batch even when the last batch of an epoch
// leaves a rank fewer rows (or none). Buffers flagged GENHOST_PARAMETER_REDUCE_MEAN are
// averaged, _SUM ones added; other buffers stay per rank (a checkpoint holds rank 0's).
//
// In a world of one nothing here runs: the trainer checks active() first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "train/model_state.hpp"
#include "train/param_slot.hpp"

namespace genhost::train {

class DataParallel {
public:
    explicit DataParallel(const ModelState& model);
    bool active() const;

    // Every rank takes rank 0's parameters and buffers (plugins initialise from the run
    // seed, so they agree already; a plugin that does not is corrected here).
    void broadcast_state() const;

    struct Combined {
        double rows = 0;                  // examples in the global batch of this call
        std::vector<int> failed_ranks;    // ranks whose losses or gradients were not finite
        bool stop = false;                // some rank was asked to stop (SIGINT/SIGTERM)
    };
    // `grads`: this rank's gradients (the mean over its `rows` examples), replaced by the
    // mean over every rank's; `losses` likewise. `failed`: this rank saw a non-finite
    // loss or gradient; `stop`: this rank was asked to stop.
    Combined combine(const std::vector<ParamSlot>& grads, float* losses, size_t loss_count, int64_t rows, bool failed,
                     bool stop);

    // The seconds spent in allreduce so far (for docs/distributed.md's table).
    double allreduce_seconds() const { return seconds_; }

private:
    std::vector<const ModelTensor*> shared_;  // buffers flagged REDUCE_MEAN or REDUCE_SUM
    std::vector<const ModelTensor*> state_;   // everything, for broadcast_state
    std::vector<float> buffer_;
    double seconds_ = 0;
};

}  // namespace genhost::train
