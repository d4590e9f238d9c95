#include "dist/world.hpp"

#include <cstdlib>
#include <limits>

#ifdef GENHOST_WITH_MPI
// The C API only: Open MPI's deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace genhost::dist {

namespace {

World g_world;
bool g_joined = false;

// Set by Open MPI's mpirun (OMPI_*), by PMIx launchers and by MPICH's hydra (PMI_*).
bool launched_by_mpirun() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
        if (std::getenv(v)) return true;
    return false;
}

#ifdef GENHOST_WITH_MPI
// MPI counts elements in int: large buffers go in pieces.
template <class T>
void allreduce_in_pieces(T* data, size_t n, MPI_Datatype type) {
    constexpr size_t piece = static_cast<size_t>(std::numeric_limits<int>::max()) / 2;
    for (size_t at = 0; at < n; at += piece)
        MPI_Allreduce(MPI_IN_PLACE, data + at, static_cast<int>(std::min(piece, n - at)), type, MPI_SUM, MPI_COMM_WORLD);
}
#endif

}  // namespace

bool built_with_mpi() {
#ifdef GENHOST_WITH_MPI
    return true;
#else
    return false;
#endif
}

void init(int argc, char** argv) {
    if (!launched_by_mpirun()) return;
#ifdef GENHOST_WITH_MPI
    // Only the main thread calls MPI (the data prefetcher and the engine's threads never do).
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    // Errors in MPI calls end the job (the default), never return to a rank that would wait.
    MPI_Comm_rank(MPI_COMM_WORLD, &g_world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_world.size);
    MPI_Comm machine;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &machine);
    MPI_Comm_size(machine, &g_world.local);
    MPI_Comm_free(&machine);
    g_joined = true;
#else
    (void)argc, (void)argv;
    throw Error("this genhost was built without MPI, so it cannot join an mpirun job; install Open MPI "
                "(scripts/setup.sh does: libopenmpi-dev openmpi-bin) and rebuild, or run without mpirun");
#endif
}

void finalize() {
#ifdef GENHOST_WITH_MPI
    if (g_joined) MPI_Finalize();
#endif
    g_joined = false;
}

const World& world() { return g_world; }

void allreduce_sum(float* data, size_t n) {
#ifdef GENHOST_WITH_MPI
    if (g_world.parallel()) allreduce_in_pieces(data, n, MPI_FLOAT);
#else
    (void)data, (void)n;
#endif
}

void allreduce_sum(double* data, size_t n) {
#ifdef GENHOST_WITH_MPI
    if (g_world.parallel()) allreduce_in_pieces(data, n, MPI_DOUBLE);
#else
    (void)data, (void)n;
#endif
}

void barrier() {
#ifdef GENHOST_WITH_MPI
    if (g_world.parallel()) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

void broadcast(float* data, size_t n) {
#ifdef GENHOST_WITH_MPI
    constexpr size_t piece = static_cast<size_t>(std::numeric_limits<int>::max()) / 2;
    if (g_world.parallel())
        for (size_t at = 0; at < n; at += piece)
            MPI_Bcast(data + at, static_cast<int>(std::min(piece, n - at)), MPI_FLOAT, 0, MPI_COMM_WORLD);
#else
    (void)data, (void)n;
#endif
}

void abort(int code) {
#ifdef GENHOST_WITH_MPI
    if (g_joined) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::_Exit(code);
}

std::string rank_prefix() {
    return g_world.parallel() ? "rank " + std::to_string(g_world.rank) + " of " + std::to_string(g_world.size) + ": "
                              : std::string();
}

Failures count_failures(bool failed) {
    double v[2] = {failed ? 1.0 : 0.0, failed && g_world.root() ? 1.0 : 0.0};
    allreduce_sum(v, 2);
    return {static_cast<int>(v[0]), v[1] > 0};
}

}  // namespace genhost::dist
