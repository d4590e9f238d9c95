// The child runs of a comparison and signals: a stop asked of `genhost compare` is handed on
// to the training child as SIGUSR1 (it checkpoints), a child that got the signal too still
// checkpoints, and a child whose comparison died stops the same clean way instead of
// training on unseen.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <functional>
#include <thread>

#include "checkpoint/safetensors.hpp"
#include "compare/child.hpp"
#include "support/genhost_run.hpp"
#include "support/process.hpp"

namespace fs = std::filesystem;
using namespace genhost::testing::run;
using genhost::testing::run_command;
using Clock = std::chrono::steady_clock;

namespace {

// One family whose training takes a minute (2000 steps of 30 ms) unless stopped.
fs::path slow_comparison(const fs::path& d) {
    pipeline(d,
             "data: {dataset: shapes, size: 256, batch_size: 16, image_size: 12}\n"
             "model: {plugin: mean-image, params: {noise: 0.1, delay_ms: 30}}\n"
             "train: {steps: 8, optimizer: {type: adam, lr: 0.05}, log_every: 4, checkpoint_every: 0}\n"
             "sample: {count: 8}\n",
             "mean.yaml");
    return pipeline(d,
                    "threads: 1\n"
                    "budget: {images: 32000}\n"
                    "seeds: [0]\n"
                    "samples: 8\n"
                    "metrics: [fid]\n"
                    "fid_over_training: {points: 0}\n"
                    "sample_images: 8\n"
                    "families:\n"
                    "  mean: {pipeline: mean.yaml}\n",
                    "compare.yaml");
}

// Starts `genhost compare` on it in the background; its output goes to d/compare.log.
pid_t start_compare(const fs::path& d) {
    const std::string plugins = std::string(GENHOST_BINARY_DIR) + "/tests/plugins/good";
    const std::string file = (d / "compare.yaml").string(), out = (d / "out").string(), log = (d / "compare.log").string();
    const pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
        execl(kGenhost.c_str(), kGenhost.c_str(), "compare", file.c_str(), "--output", out.c_str(), "--plugin-path",
              plugins.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit) {
    const auto deadline = Clock::now() + limit;
    while (!done()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

// The exit status of `pid`, or -1 if it was still running after `limit` (then it is killed).
int exit_status(pid_t pid, std::chrono::seconds limit) {
    int status = 0;
    if (!wait_for([&] { return waitpid(pid, &status, WNOHANG) == pid; }, limit)) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// True once the run has logged a step: its training loop, which handles the stop signals,
// is running (train_log.csv's header is written before it starts).
bool training(const fs::path& run) {
    return wait_for([&] {
        const std::string log = read(run / "train_log.csv");
        return std::count(log.begin(), log.end(), '\n') >= 2;
    }, std::chrono::seconds(30));
}

int checkpoint_step(const fs::path& run) {
    const auto c = genhost::checkpoint::Checkpoint::read((run / "checkpoint.safetensors").string());
    return std::stoi(c.metadata().at("trainer.step"));
}

// The slow comparison started in a fresh folder `name`, once its child is training.
struct Training {
    fs::path d, run;
    pid_t compare;
};
Training start_training(const std::string& name) {
    Training t{dir(name), {}, 0};
    slow_comparison(t.d);
    t.run = t.d / "out" / "mean" / "seed-0";
    t.compare = start_compare(t.d);
    REQUIRE(training(t.run));
    return t;
}

// The child stopped early with its state saved.
void stopped_with_checkpoint(const fs::path& run) {
    REQUIRE(fs::exists(run / "checkpoint.safetensors"));
    CHECK(checkpoint_step(run) < 2000);
}

}  // namespace

TEST_CASE("SIGTERM to genhost compare is handed on to the training child: it checkpoints, the comparison exits 143",
          "[compare][signal]") {
    const auto [d, run, compare] = start_training("compare-sigterm");
    kill(compare, SIGTERM);  // to the comparison alone, as `kill PID` or a service manager does
    const int code = exit_status(compare, std::chrono::seconds(30));
    INFO(read(d / "compare.log"));
    INFO(read(run / "genhost.log"));
    CHECK(code == 143);
    CHECK(read(run / "genhost.log").find("stopped by its parent (SIGUSR1)") != std::string::npos);
    stopped_with_checkpoint(run);
    CHECK(read(d / "compare.log").find("to continue: genhost compare") != std::string::npos);
}

TEST_CASE("a child whose comparison was killed stops cleanly with a checkpoint", "[compare][signal]") {
    const auto [d, run, compare] = start_training("compare-orphan");
    kill(compare, SIGKILL);
    CHECK(exit_status(compare, std::chrono::seconds(10)) == 128 + SIGKILL);
    // The child is sent SIGUSR1 by the kernel when its parent dies.
    const bool stopped = wait_for([&] { return read(run / "genhost.log").find("stopped by its parent") != std::string::npos; },
                                  std::chrono::seconds(30));
    INFO(read(run / "genhost.log"));
    CHECK(stopped);
    CHECK(wait_for([&] { return fs::exists(run / "checkpoint.safetensors"); }, std::chrono::seconds(10)));
}

TEST_CASE("SIGTERM to the comparison and its child at once (pkill, a service manager) still checkpoints",
          "[compare][signal]") {
    const auto [d, run, compare] = start_training("compare-sigterm-both");
    const auto child = run_command("pgrep -P " + std::to_string(compare));
    const pid_t trainer = static_cast<pid_t>(std::atol(child.output.c_str()));
    REQUIRE(trainer > 0);
    kill(trainer, SIGTERM);
    kill(compare, SIGTERM);
    const int code = exit_status(compare, std::chrono::seconds(30));
    INFO(read(run / "genhost.log"));
    CHECK(code == 143);
    CHECK(read(run / "genhost.log").find("second signal") == std::string::npos);  // SIGUSR1 does not escalate
    CHECK(read(run / "genhost.log").find("stopped by SIGTERM") != std::string::npos);
    stopped_with_checkpoint(run);
}

TEST_CASE("a child killed by a signal is described by the signal's name") {
    genhost::compare::ChildResult r;
    r.exit_code = 2;
    CHECK(genhost::compare::describe_exit(r) == "genhost exited with 2");
    r.exit_code = 128 + SIGSEGV;
    r.signal = SIGSEGV;
    CHECK(genhost::compare::describe_exit(r).find("killed by SIGSEGV (signal 11") != std::string::npos);
}
