#include "common/blas_threads.hpp"

#include <algorithm>

#include <cblas.h>

namespace genhost::metrics {

BlasThreads::BlasThreads(uint32_t threads) : previous_(openblas_get_num_threads()) {
    openblas_set_num_threads(static_cast<int>(std::max<uint32_t>(threads, 1)));
}

BlasThreads::~BlasThreads() { openblas_set_num_threads(previous_); }

}  // namespace genhost::metrics
