// Scratch folders for tests, inside the build tree that runs them: two builds (or two
// people) running the suite at once never share one, as they would under /tmp.
#pragma once

#include <filesystem>
#include <string>

namespace genhost::testing {

// <build>/test-scratch/<name>, created if missing (its contents kept).
inline std::filesystem::path scratch_dir(const std::string& name) {
    std::filesystem::path d = std::filesystem::path(GENHOST_BINARY_DIR) / "test-scratch" / name;
    std::filesystem::create_directories(d);
    return d;
}

// The same, emptied first.
inline std::filesystem::path fresh_scratch_dir(const std::string& name) {
    std::filesystem::path d = std::filesystem::path(GENHOST_BINARY_DIR) / "test-scratch" / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

}  // namespace genhost::testing
