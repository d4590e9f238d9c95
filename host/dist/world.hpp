// The processes of one job: data parallelism over MPI (Open MPI), or a world of one.
//
// genhost is started once per rank by `mpirun -np N genhost run ...`; init() joins the
// job when the environment says mpirun started this process, and otherwise makes a
// world of one in which every collective is a no-op. No other header includes mpi.h:
// the rest of the host sees only this interface.
//
//   dist::init(argc, argv);                 // first thing in main
//   const dist::World& w = dist::world();   // {rank, size}
//   dist::allreduce_sum(buffer.data(), buffer.size());  // every rank calls it, same n
//   dist::finalize();                       // last thing in main
//
// Collectives must be called by every rank in the same order. A rank that cannot go on
// calls abort(), which ends the whole job (mpirun kills the others) rather than leave
// them waiting in a collective.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/error.hpp"

namespace genhost::dist {

struct World {
    int rank = 0;  // this process, 0..size-1
    int size = 1;  // processes in the job
    int local = 1; // processes of the job on this machine (they share its cores)
    bool root() const { return rank == 0; }
    bool parallel() const { return size > 1; }
};

// Whether this genhost was built with MPI (genhost --version says it).
bool built_with_mpi();
// Joins the MPI job if mpirun (or another PMIx launcher) started this process. Started
// by mpirun in a build without MPI: throws an Error that says how to get it.
void init(int argc, char** argv);
void finalize();
const World& world();

// Element-wise sums over all ranks, in place. A world of one leaves data unchanged.
void allreduce_sum(float* data, size_t n);
void allreduce_sum(double* data, size_t n);
// Returns when every rank has called it: a rank that is about to exit waits for rank 0
// to finish writing and reporting (mpirun ends the job as soon as one rank exits non-zero).
void barrier();
// Rank 0's data into every rank's, in place.
void broadcast(float* data, size_t n);
// Ends every process of the job with `code` (a world of one: exits).
[[noreturn]] void abort(int code);

// "rank 1 of 2: " in a parallel job, "" otherwise: the prefix of a message that only
// some ranks print.
std::string rank_prefix();

// An error every rank knows of at the same point (a NaN found after the gradients were
// combined, a failure the ranks agreed on): no rank waits in a collective, so none needs
// an abort. The ranks with `report` print the message (rank 0, or a rank whose own
// failure it is); the others end quietly.
class CollectiveError : public Error {
public:
    CollectiveError(const std::string& message, bool report) : Error(message), report_(report) {}
    bool report() const { return report_; }

private:
    bool report_;
};

// Runs `work` on every rank and then lets the ranks agree: if any rank failed, every
// rank throws a CollectiveError, so none goes on alone into a collective. Rank 0 reports
// its own failure; a rank whose failure rank 0 did not share reports its own, prefixed
// with its rank, and rank 0 adds how many failed. `what` completes "ranks failed ..."
// ("to prepare the run"). In a world of one, work's error passes unchanged.
template <class Work>
void agree(const char* what, Work&& work);

// The part of agree() that needs MPI: the number of ranks that failed, and whether rank 0
// is among them.
struct Failures {
    int count = 0;
    bool root_failed = false;
};
Failures count_failures(bool failed);

template <class Work>
void agree(const char* what, Work&& work) {
    bool failed = false;
    std::string message;
    try {
        work();
    } catch (const Error& e) {
        if (!world().parallel()) throw;
        failed = true, message = e.what();
    }
    if (!world().parallel()) return;
    const Failures f = count_failures(failed);
    if (f.count == 0) return;
    // A mistake every rank made (a typo in the pipeline) is reported once, without a rank.
    if (failed && (world().root() || !f.root_failed))
        throw CollectiveError((f.count == world().size ? std::string() : rank_prefix()) + message, true);
    if (failed || f.root_failed) throw CollectiveError("rank 0 failed " + std::string(what), false);
    throw CollectiveError(std::to_string(f.count) + " of " + std::to_string(world().size) + " ranks failed " + what +
                              " (their messages are above)",
                          world().root());
}

}  // namespace genhost::dist
