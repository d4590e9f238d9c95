// A reader told to read a FIFO, folder or device refuses at once instead of hanging.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "util/error.hpp"
#include "util/file_check.hpp"

#include "support/scratch.hpp"

namespace fs = std::filesystem;

TEST_CASE("special_file_kind names folders, FIFOs and devices, and passes files and missing paths", "[file]") {
    const fs::path d = genhost::testing::fresh_scratch_dir("file-check");
    std::ofstream(d / "plain") << "x";
    REQUIRE(::mkfifo((d / "fifo").c_str(), 0600) == 0);
    CHECK(genhost::special_file_kind((d / "plain").string()).empty());
    CHECK(genhost::special_file_kind((d / "missing").string()).empty());
    CHECK(genhost::special_file_kind(d.string()) == "a folder");
    CHECK(genhost::special_file_kind((d / "fifo").string()) == "a FIFO (named pipe)");
    CHECK(genhost::special_file_kind("/dev/null") == "a character device");
    CHECK_THROWS_WITH(genhost::require_regular_file((d / "fifo").string(), "data.path", "a file here"),
                      "data.path: is a FIFO (named pipe); expected a file here");
    CHECK_NOTHROW(genhost::require_regular_file((d / "plain").string(), "x", "a file"));
}
