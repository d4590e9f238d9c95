// The files of a new plugin project (`genhost new`), with @NAME@-style placeholders.
#pragma once

#include <string>
#include <vector>

namespace genhost::cli {

struct TemplateFile {
    std::string path;  // relative to the project folder; may hold placeholders
    std::string text;
};

// kind: scheduler, metric or model; c: plain C instead of C++.
std::vector<TemplateFile> project_template(const std::string& kind, bool c);

}  // namespace genhost::cli
