// Thread count for everything the engine runs: OpenBLAS's GEMM threads and the engine's
// own parallel loops. They never run at the same time, so at most n threads are busy.
// Thread rule: call from the main thread before work starts, not during an operation.
#pragma once

namespace genhost::engine {

void set_num_threads(int n);   // n >= 1
int  get_num_threads();

}  // namespace genhost::engine
