// The atomic write: a writer killed at any moment, or failing, leaves the previous file whole.
#include "checkpoint/atomic_file.hpp"
#include "checkpoint/reader.hpp"
#include "checkpoint/writer.hpp"

#include "support/file_size_limit.hpp"
#include "test_support.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace genhost::checkpoint;
using namespace genhost::checkpoint::test;
using Catch::Matchers::Contains;

namespace {

void write_old(const std::string& path) {
    Writer w;
    w.add<float>("w", {3}, {1, 2, 3});
    w.set_metadata("version", "old");
    w.write_atomic(path);
}

// Which complete checkpoint is at `path` ("old" or "new"); fails the test on anything else.
std::string version_at(const std::string& path, const std::vector<float>& new_weights) {
    const auto c = Checkpoint::read(path);  // throws on a torn file
    const auto v = c.metadata().at("version");
    if (v == "new") {
        const auto& t = c.expect("w", Dtype::F32, {static_cast<std::int64_t>(new_weights.size())});
        CHECK(std::memcmp(t.data, new_weights.data(), t.size_bytes) == 0);
    } else {
        CHECK(v == "old");
        CHECK(c.data<float>("w", {3})[2] == 3.0f);
    }
    return v;
}

std::size_t remove_temporaries(const TempDir& dir) {
    std::size_t n = 0;
    for (const auto& e : dir.entries())
        if (e != "ckpt.safetensors") {
            CHECK(e.rfind(".ckpt.safetensors.tmp-", 0) == 0);
            std::remove(dir.file(e).c_str());
            ++n;
        }
    return n;
}

}  // namespace

TEST_CASE("a writer killed with SIGKILL at any moment leaves the old or the new checkpoint, never a torn one",
          "[checkpoint]") {
    TempDir           dir;
    const std::string target = dir.file("ckpt.safetensors");
    // 32 MB: large enough that the kills below land while it is being written or synced.
    std::vector<float> weights(8u << 20);
    for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<float>(i % 1000) * 0.5f;
    Writer next;
    next.add_f32_view("w", {static_cast<std::int64_t>(weights.size())}, weights.data());
    next.set_metadata("version", "new");

    std::size_t killed_mid_write = 0, saw_old = 0;
    for (const int delay_ms : {0, 1, 3, 8, 15, 30, 60}) {
        write_old(target);
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::close(ready[0]);
            const char go = 'g';
            if (::write(ready[1], &go, 1) != 1) ::_exit(2);
            try {
                next.write_atomic(target);
            } catch (...) {
                ::_exit(3);
            }
            ::_exit(0);
        }
        ::close(ready[1]);
        char go = 0;
        REQUIRE(::read(ready[0], &go, 1) == 1);
        ::close(ready[0]);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        ::kill(child, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        INFO("killed after " << delay_ms << " ms");
        CHECK((WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)));

        const std::string v = version_at(target, weights);
        saw_old += v == "old";
        // A leftover temporary means the kill landed mid-write.
        killed_mid_write += remove_temporaries(dir) > 0;
    }
    CHECK(saw_old > 0);
    CHECK(killed_mid_write > 0);  // the test did interrupt a write

    // Left alone, the same write completes and leaves nothing behind.
    write_old(target);
    next.write_atomic(target);
    CHECK(version_at(target, weights) == "new");
    CHECK(remove_temporaries(dir) == 0);
}

TEST_CASE("writers racing on one path leave one complete checkpoint and no temporaries", "[checkpoint]") {
    TempDir                         dir;
    const std::string               target = dir.file("ckpt.safetensors");
    std::vector<std::vector<float>> weights;
    for (int i = 0; i < 4; ++i) weights.emplace_back(1 << 16, static_cast<float>(i));
    std::vector<std::thread> writers;
    for (int i = 0; i < 4; ++i)
        writers.emplace_back([&, i] {
            for (int round = 0; round < 5; ++round) {
                Writer w;
                w.add_f32_view("w", {1 << 16}, weights[static_cast<std::size_t>(i)].data());
                w.set_metadata("writer", std::to_string(i));
                w.write_atomic(target);
            }
        });
    for (auto& t : writers) t.join();
    const auto  c = Checkpoint::read(target);
    const float v = static_cast<float>(std::stoi(c.metadata().at("writer")));
    const float* w = c.data<float>("w", {1 << 16});
    CHECK(std::all_of(w, w + (1 << 16), [&](float x) { return x == v; }));
    CHECK(dir.entries() == std::vector<std::string>{"ckpt.safetensors"});
}

TEST_CASE("a write that fails (file too large) leaves the old file and no temporary", "[checkpoint]") {
    TempDir           dir;
    const std::string target = dir.file("ckpt.safetensors");
    write_old(target);
    const auto before = read_bytes(target);

    // In a child whose files may hold 64 KB, write() fails with EFBIG as on a full disk.
    const std::string message = genhost::testing::error_with_file_size_limit(64 << 10, [&] {
        std::vector<float> big(1 << 20, 1.0f);
        Writer             w;
        w.add_f32_view("w", {1 << 20}, big.data());
        w.set_metadata("version", "new");
        w.write_atomic(target);
    });
    CHECK_THAT(message, Contains("writing " + target + ": writing the temporary file failed: File too large"));
    CHECK_THAT(message, Contains("the previous ckpt.safetensors is untouched"));
    CHECK(read_bytes(target) == before);
    CHECK(dir.entries() == std::vector<std::string>{"ckpt.safetensors"});
}

TEST_CASE("writing into a missing folder or over a folder is an error that leaves nothing behind", "[checkpoint]") {
    TempDir dir;
    Writer  w;
    w.add<float>("w", {1}, {1});
    CHECK(error_of([&] { w.write_atomic(dir.file("missing/ckpt.safetensors")); }) ==
          "writing " + dir.file("missing/ckpt.safetensors") + ": the folder '" + dir.file("missing") +
              "' does not exist; create it first");
    std::filesystem::create_directory(dir.file("sub"));
    CHECK_THAT(error_of([&] { w.write_atomic(dir.file("sub")); }),
               Contains("renaming the temporary file over it failed: Is a directory; the previous sub is untouched"));
    CHECK_THAT(error_of([&] { w.write_atomic(dir.path() + "/"); }), Contains("the path names a folder"));
    CHECK(dir.entries() == std::vector<std::string>{"sub"});
}

TEST_CASE("write_text_atomic replaces a text file whole, and a failed write leaves the old text", "[checkpoint]") {
    TempDir           dir;
    const std::string target = dir.file("metrics.json");
    write_text_atomic(target, "{\"old\": 1}\n");
    write_text_atomic(target, "{\"new\": 2}\n");
    const auto text = read_bytes(target);
    CHECK(std::string(text.begin(), text.end()) == "{\"new\": 2}\n");
    CHECK_THAT(error_of([&] { write_text_atomic(dir.path() + "/", "x"); }), Contains("the path names a folder"));
    std::filesystem::create_directory(dir.file("sub"));
    CHECK_THAT(error_of([&] { write_text_atomic(dir.file("sub"), "x"); }), Contains("Is a directory"));
    CHECK(read_bytes(target) == text);
    auto names = dir.entries();
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"metrics.json", "sub"});
}
