#include "run/stages/stage.hpp"

#include "util/error.hpp"

namespace genhost::run {

extern const Stage train_stage, sample_stage, reconstruct_stage, interpolate_stage, inpaint_stage, complete_stage,
    translate_stage, style_mixing_stage, truncation_stage, interpolate_w_stage, evaluate_stage;

const std::vector<Stage>& all_stages() {
    static const std::vector<Stage> stages = {train_stage,        sample_stage,       reconstruct_stage,
                                              interpolate_stage,  inpaint_stage,      complete_stage,
                                              translate_stage,    style_mixing_stage, truncation_stage,
                                              interpolate_w_stage, evaluate_stage};
    return stages;
}

bool has_section(const nlohmann::json& pipeline, const char* section) { return pipeline.contains(section); }

void Problems::raise(const std::string& file) const {
    if (messages_.empty()) return;
    if (messages_.size() == 1) throw Error(messages_[0]);
    std::string text = std::to_string(messages_.size()) + " problems in " + file + ":";
    for (const auto& m : messages_) text += "\n" + m;
    throw Error(text);
}

}  // namespace genhost::run
