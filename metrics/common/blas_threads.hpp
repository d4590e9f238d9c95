// OpenBLAS's thread count for the length of a scope.
//
// OpenBLAS has one process-wide thread count, and the engine keeps it at 1 (its own
// OpenMP loops split the GEMMs; threads.cpp). A metric's dgemms run after the feature
// network is done, when nothing else runs, so they may use the host's threads, and give
// the setting back afterwards.
#pragma once

#include <cstdint>

namespace genhost::metrics {

class BlasThreads {
public:
    explicit BlasThreads(uint32_t threads);  // the host's num_threads
    ~BlasThreads();
    BlasThreads(const BlasThreads&) = delete;
    BlasThreads& operator=(const BlasThreads&) = delete;

private:
    int previous_;
};

}  // namespace genhost::metrics
