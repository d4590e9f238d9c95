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
int new_command(const Args& args);       // genhost new scheduler|metric|model NAME
int compare_command(const Args& args);   // genhost compare COMPARISON.yaml [...]
// genhost compare, or with `validate_only` its checks (genhost validate of a comparison).
int compare_files(const Args& args, bool validate_only);

}  // namespace genhost::cli
