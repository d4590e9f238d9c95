// Ctrl-C or kill during training: the step finishes, a checkpoint is written, the program
// exits 130/143 saying how to resume, and --resume carries on from there.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "checkpoint/reader.hpp"
#include "util/stop_signal.hpp"

#include "support/process.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kGenhost = genhost::testing::genhost_program();
const std::string kPluginDir = std::string(GENHOST_BINARY_DIR) + "/tests/plugins/good";

// Many slow steps (delay_ms per phase), a log row for each, checkpoints far apart.
const char* const kLong =
    "seed: 5\n"
    "data: {dataset: shapes, size: 64, batch_size: 8, image_size: 8}\n"
    "model: {plugin: mean-image, params: {delay_ms: 50}}\n"
    "train:\n"
    "  steps: 100000\n"
    "  optimizer: {type: adam, lr: 0.01}\n"
    "  log_every: 1\n"
    "  checkpoint_every: 50000\n";

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int64_t logged_rows(const fs::path& log) {
    std::istringstream in(read(log));
    std::string line;
    int64_t rows = -1;  // the header
    while (std::getline(in, line)) rows += !line.empty();
    return rows;
}

int64_t checkpoint_step(const fs::path& file) {
    return std::stoll(genhost::checkpoint::Checkpoint::read(file.string()).metadata().at("trainer.step"));
}

// Starts the long run, sends `signo` once a row is logged (and a second one when `twice`),
// returns the exit status and what the program printed.
std::pair<int, std::string> run_and_signal(const fs::path& d, int signo, bool twice) {
    const std::string p = (d / "p.yaml").string(), out = (d / "out").string(), said = (d / "said.txt").string();
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (!freopen(said.c_str(), "w", stdout) || !freopen(said.c_str(), "a", stderr)) _exit(126);
        execl(kGenhost.c_str(), kGenhost.c_str(), "run", p.c_str(), "--output", out.c_str(), "--plugin-path",
              kPluginDir.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (logged_rows(d / "out" / "train_log.csv") < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    kill(child, signo);
    if (twice) {
        // Two signals sent back to back can merge into one before the handler runs (POSIX
        // keeps one pending signal per number): wait until the first was taken.
        while (read(said).find("finishing the current step") == std::string::npos &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        kill(child, signo);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), read(said)};
}

}  // namespace

TEST_CASE("a StopSignalScope turns SIGINT and SIGTERM into a request, and restores the handlers after", "[signal]") {
    struct sigaction before {};
    sigaction(SIGTERM, nullptr, &before);  // Catch's own, or the default
    CHECK(!genhost::stop_requested());
    {
        genhost::StopSignalScope scope;
        CHECK(!genhost::stop_requested());
        raise(SIGTERM);  // would kill the test program without the scope
        CHECK(genhost::stop_requested());
        CHECK(genhost::stop_signal() == SIGTERM);
    }
    {
        genhost::StopSignalScope scope;  // a new scope starts with no request
        CHECK(!genhost::stop_requested());
        raise(SIGINT);
        CHECK(genhost::stop_signal() == SIGINT);
    }
    struct sigaction now {};
    sigaction(SIGTERM, nullptr, &now);
    CHECK(now.sa_handler == before.sa_handler);
    const genhost::StopRequested stopped(SIGINT, "after step 3");
    CHECK(stopped.exit_code() == 130);
    CHECK(std::string(stopped.what()) == "stopped by SIGINT after step 3");
}

TEST_CASE("SIGTERM during training checkpoints the finished step, exits 143 naming --resume, and resume continues",
          "[signal][resume]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("stop-signal/term");
    std::ofstream(d / "p.yaml") << kLong;
    const auto [code, said] = run_and_signal(d, SIGTERM, false);
    INFO(said);
    CHECK(code == 143);
    CHECK_THAT(said, Catch::Contains("stopped by SIGTERM after step") && Catch::Contains("checkpoint") &&
                         Catch::Contains("to continue: genhost run " + (d / "p.yaml").string()) &&
                         Catch::Contains(" --resume"));
    const int64_t step = checkpoint_step(d / "out" / "checkpoint.safetensors");  // reads and checks the whole file
    CHECK(step >= 1);
    CHECK(step < 100000);
    // Every finished step was logged, and the checkpoint is at the last one.
    CHECK(logged_rows(d / "out" / "train_log.csv") == step);

    // --resume carries on from that step (to a shorter end, to keep the test fast).
    const auto r = genhost::testing::run_command(kGenhost + " run " + (d / "p.yaml").string() + " --resume --output " +
                                                 (d / "out").string() + " --plugin-path " + kPluginDir +
                                                 " --set train.steps=" + std::to_string(step + 3));
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(checkpoint_step(d / "out" / "checkpoint.safetensors") == step + 3);
    CHECK(logged_rows(d / "out" / "train_log.csv") == step + 3);
}

TEST_CASE("SIGINT exits 130, and a second signal stops at once", "[signal]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("stop-signal/int");
    std::ofstream(d / "p.yaml") << kLong;
    {
        const auto [code, said] = run_and_signal(d, SIGINT, false);
        INFO(said);
        CHECK(code == 130);
        CHECK_THAT(said, Catch::Contains("stopped by SIGINT"));
    }
    fs::remove_all(d / "out");
    const auto [code, said] = run_and_signal(d, SIGINT, true);
    INFO(said);
    CHECK(code == 130);
    CHECK_THAT(said, Catch::Contains("second signal: stopping at once"));
    CHECK(!fs::exists(d / "out" / "checkpoint.safetensors"));  // never reached step 50000 or the stop's checkpoint
}
