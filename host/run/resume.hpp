// --resume continues the same run: everything that shapes the result must be as it was.
// Only how long it runs and how often it logs, checkpoints and samples may change, and
// the stages after training.
#pragma once

#include <string>

namespace genhost::run {

class RunContext;

// Throws genhost::Error listing what differs between the pipeline and the one saved in
// `checkpoint`, and any component whose checkpoint changed since.
void check_resumable(const RunContext& run, const std::string& checkpoint);

}  // namespace genhost::run
