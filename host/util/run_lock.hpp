// Guarding a run folder: one genhost run at a time writes into it, and a new run does not
// silently replace a finished one.
//
//   check_output_dir(out, options.resume, options.overwrite);  // before any work
//   RunLock lock(out);                                          // held until the run ends
//
// RunLock takes an exclusive flock(2) on DIR/.lock and writes its PID there. The kernel
// drops the lock when the process exits, however it exits (even SIGKILL), so a stale
// .lock file never blocks a later run; the file itself is left in place (removing it
// would let two runs lock two different files of the same name).
// Thread rule: one RunLock per folder per process.
#pragma once

#include <filesystem>

namespace genhost {

class RunLock {
public:
    // Creates `dir` if needed and locks it. Throws genhost::Error naming the PID of the
    // run holding it, e.g. "runs/mnist is in use by another genhost run (PID 4242); ...".
    explicit RunLock(const std::filesystem::path& dir);
    ~RunLock();  // releases the lock
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int fd_ = -1;
};

// Refuses, unless `resume` or `overwrite`, a `dir` that already holds a run (a
// checkpoint.safetensors or train_log.csv), with a message offering --resume and
// --overwrite. Also refuses both flags together, `resume` without a checkpoint, and a
// `dir` that is a file. A missing or empty `dir` passes unless `resume`.
void check_output_dir(const std::filesystem::path& dir, bool resume, bool overwrite);

}  // namespace genhost
