// The genhost commands. Each takes the arguments after its name and returns the
// process exit code: 0 success, 1 an error (already printed), 2 a usage error.
#pragma once

#include <string>
#include <vector>

namespace genhost::cli {

using Args = std::vector<std::string>;

int run_command(const Args& args);       // genhost run PIPELINE.yaml [...]
int validate_command(const Args& args);  // genhost validate PIPELINE.yaml [...]
int plugins_command(const Args& args);   // genhost plugins [--json]
int info_command(const Args& args);      // genhost info PLUGIN
int check_command(const Args& args);     // genhost check PLUGIN... | --all
int score_command(const Args& args);     // genhost score IMAGES [...]

}  // namespace genhost::cli
