// One run per folder at a time, and no finished run replaced by accident.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "util/error.hpp"
#include "util/run_lock.hpp"

#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const genhost::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a second lock on a run folder is refused naming the first holder's PID", "[run-lock]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("run-lock/busy") / "out";
    {
        genhost::RunLock first(d);  // creates the folder
        CHECK(fs::exists(d / ".lock"));
        CHECK_THAT(error_of([&] { genhost::RunLock second(d); }),
                   Catch::Contains(d.string() + " is in use by another genhost run (PID " + std::to_string(getpid()) +
                                   ")") &&
                       Catch::Contains("choose another --output"));

        // Another process is refused too.
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                genhost::RunLock other(d);
            } catch (const genhost::Error&) {
                _exit(7);
            }
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        CHECK(WEXITSTATUS(status) == 7);
    }
    // Released: the next run takes it, although the .lock file stays.
    CHECK_NOTHROW(genhost::RunLock(d));
}

TEST_CASE("a lock held by a process that died is free again", "[run-lock]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("run-lock/dead");
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        genhost::RunLock held(d);
        _exit(0);  // no destructor: the kernel drops the lock with the process
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK_NOTHROW(genhost::RunLock(d));
}

TEST_CASE("check_output_dir refuses a folder holding a run unless --resume or --overwrite", "[run-lock]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("run-lock/outputs");
    CHECK_NOTHROW(genhost::check_output_dir(d / "missing", false, false));
    CHECK_NOTHROW(genhost::check_output_dir(d, false, false));  // empty
    std::ofstream(d / "samples.png") << "x";
    CHECK_NOTHROW(genhost::check_output_dir(d, false, false));  // no run in it
    std::ofstream(d / "train_log.csv") << "step\n";
    CHECK(error_of([&] { genhost::check_output_dir(d, false, false); }) ==
          d.string() + " already holds a run (train_log.csv); continue it with --resume, replace it with "
                       "--overwrite, or choose another --output");
    std::ofstream(d / "checkpoint.safetensors") << "x";
    CHECK_THAT(error_of([&] { genhost::check_output_dir(d, false, false); }),
               Catch::Contains("(checkpoint.safetensors and train_log.csv)"));
    CHECK_NOTHROW(genhost::check_output_dir(d, true, false));
    CHECK_NOTHROW(genhost::check_output_dir(d, false, true));
    CHECK_THAT(error_of([&] { genhost::check_output_dir(d, true, true); }), Catch::Contains("contradict"));
}
