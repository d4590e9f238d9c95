// The pipeline reader as `genhost validate` runs it: the YAML file, then --set overrides,
// then the schema, the name and path checks, and the resolved pipeline written back as YAML.
// Input: the YAML text, then each --set assignment after a 0xFF 0xFE pair (bytes that
// valid UTF-8 never holds, so the split never hides a valid pipeline).
// Any genhost::Error is a fine answer; any other exception, crash or sanitizer report is a bug.
#include "pipeline/pipeline.hpp"
#include "util/error.hpp"

#include "memfd.hpp"

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        const size_t cut = input.find("\xff\xfe", start);
        parts.push_back(input.substr(start, cut == std::string::npos ? std::string::npos : cut - start));
        if (cut == std::string::npos || parts.size() > 8) break;
        start = cut + 2;
    }
    const std::vector<std::string> sets(parts.begin() + 1, parts.end());
    MemFile file(reinterpret_cast<const uint8_t*>(parts[0].data()), parts[0].size());
    try {
        const auto pipeline = genhost::pipeline::Pipeline::load(file.path(), sets);
        (void)pipeline.to_yaml();
        (void)pipeline.output_dir();
        (void)pipeline.plugin_folders();
    } catch (const genhost::Error&) {
    }
    return 0;
}
