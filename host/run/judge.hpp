// The feature network that sample-quality metrics use when a pipeline names none: a
// classifier trained on the dataset's training split once, on first use, and cached per
// dataset and user, as other tools fetch Inception weights once:
//
//   $XDG_CACHE_HOME/genhost/judges/<dataset>-<key>/   (default ~/.cache/genhost/...)
//     judge.yaml              the pipeline that trained it (runnable by hand)
//     checkpoint.safetensors  its weights; its SHA-256 is written beside every score
//
// <key> hashes what identifies the data (reader, files, image size), so another dataset
// gets another judge. Unlabelled data has no classes to learn: the pipeline must then
// name a judge (components: and evaluate.features).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "loader/registry.hpp"
#include "run/components.hpp"

namespace genhost::run {

struct JudgeRequest {
    nlohmann::json data;        // the pipeline's `data:` section (resolved)
    int64_t train_steps = 1000; // budget when it must be trained (evaluate.judge_steps)
    uint64_t seed = 0;
    uint32_t threads = 0;
    bool quiet = false;
};

// The cache folder of the judge for `request.data`.
std::string judge_folder(const JudgeRequest& request);

// Why no judge can be made for this data ("" when one can): unlabelled data.
std::string judge_unavailable(const nlohmann::json& data, const loader::PluginRegistry& registry);

// Loads the dataset's judge, training it first when it is not cached yet.
Component default_judge(const JudgeRequest& request, const loader::PluginRegistry& registry,
                        const loader::HostServices& services);

}  // namespace genhost::run
