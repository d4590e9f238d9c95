// A stage of a run: one section of the pipeline (train, sample, ...), its checks and its
// work, in one file each under stages/. all_stages() is the one list, in running order;
// adding a stage is its file, a line there, its schema entry and its docs.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace genhost::run {

class RunContext;

// What a run would refuse, gathered from every stage and reported at once.
class Problems {
public:
    // Several stages check the shared sampling options: a problem is said once.
    void add(std::string message) {
        if (std::find(messages_.begin(), messages_.end(), message) == messages_.end())
            messages_.push_back(std::move(message));
    }
    bool empty() const { return messages_.empty(); }
    // Throws genhost::Error listing every problem; does nothing when there is none.
    void raise(const std::string& file) const;

private:
    std::vector<std::string> messages_;
};

struct Stage {
    const char* name;  // the pipeline section, e.g. "sample"
    bool needs_data;   // reads the training data (train, evaluate, ...)
    // Whether the pipeline runs the stage (its section is there and asks for work).
    bool (*active)(const nlohmann::json& pipeline);
    // Everything the stage would refuse, after the plugins exist and before any stage
    // runs (`genhost validate` stops here). May be null.
    void (*check)(const RunContext& run, Problems& problems);
    void (*run)(RunContext& run);
};

const std::vector<Stage>& all_stages();

// The common `active`: the section is present.
bool has_section(const nlohmann::json& pipeline, const char* section);

}  // namespace genhost::run
