// Saving and restoring flat float state (internal to genhost::train): shared by the
// optimizers and the EMA so both check a checkpoint the same way.
#pragma once

#include "train/param_slot.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::train::detail {

// One tensor of state: `size` floats at `data`. A step count is a scalar (shape []) that
// must hold a whole number in [0, 2^24] to be accepted.
struct StateEntry {
    std::string name;
    float*      data = nullptr;
    std::size_t size = 0;
    bool        is_step = false;
};

std::vector<NamedTensor> export_entries(const std::vector<StateEntry>& entries);

// All or nothing: first checks that every entry is present once with the right element
// count, and that `tensors` holds nothing else whose name starts with `prefix`; only then
// copies. `owner` ("adam optimizer of group 'generator'") and `source` (the checkpoint
// file, may be empty) go into the messages.
void import_entries(const std::vector<StateEntry>& entries, const std::vector<NamedTensor>& tensors,
                    std::string_view prefix, std::string_view owner, std::string_view source);

// The largest step count a float32 holds exactly.
constexpr std::int64_t kMaxExactStep = std::int64_t{1} << 24;

}  // namespace genhost::train::detail
