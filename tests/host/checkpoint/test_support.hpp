// Helpers shared by the checkpoint tests: files, temporary folders, caught messages.
#pragma once

#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace genhost::checkpoint::test {

inline std::string data_path(const std::string& relative) {
    return std::string(GENHOST_TEST_DATA_DIR) + "/host/checkpoint/" + relative;
}

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A fresh folder under the build tree, removed with everything in it.
class TempDir {
public:
    TempDir() {
        const auto base = std::filesystem::path(GENHOST_BINARY_DIR) / "tests";
        std::filesystem::create_directories(base);
        std::string pattern = (base / "checkpoint-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string path() const { return path_.string(); }
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
        return out;
    }

private:
    std::filesystem::path path_;
};

// The message of the genhost::Error that `f` throws; fails the test if it throws nothing or
// anything else.
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const genhost::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected genhost::Error, got another exception: " << e.what());
    }
    FAIL("expected genhost::Error, nothing was thrown");
    return {};
}

}  // namespace genhost::checkpoint::test
