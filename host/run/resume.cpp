#include "run/resume.hpp"

#include "run/context.hpp"
#include "train/run_checkpoint.hpp"
#include "util/error.hpp"

namespace genhost::run {

void check_resumable(const RunContext& run, const std::string& checkpoint) {
    auto meta = train::read_checkpoint_metadata(checkpoint);
    auto it = meta.find("pipeline");
    if (it == meta.end()) return;
    nlohmann::json before = pipeline::parse_yaml(it->second, checkpoint + " (its pipeline)").root;
    auto strip = [](nlohmann::json j) {
        for (const char* k : {"name", "output", "threads", "plugin_paths", "sample", "evaluate", "reconstruct",
                              "interpolate", "inpaint"})
            j.erase(k);
        if (j.contains("model")) j["model"].erase("checkpoint");
        if (j.contains("train"))
            for (const char* k : {"steps", "epochs", "log_every", "checkpoint_every", "sample_every", "evaluate_every"})
                j["train"].erase(k);
        return j;
    };
    const nlohmann::json a = strip(before), b = strip(run.p);
    std::string differences;
    for (const auto& d : nlohmann::json::diff(a, b)) {
        // A key this version added with a null default (data.encode_with) changes nothing
        // for a run written before it existed.
        if (d["op"] == "add" && d["value"].is_null()) continue;
        differences += "\n  " + d["path"].get<std::string>().substr(1) + ": " +
                       (d["op"] == "add"      ? "added"
                        : d["op"] == "remove" ? "removed"
                                              : "was " + a.at(nlohmann::json::json_pointer(d["path"].get<std::string>())).dump() +
                                                    ", now " + d["value"].dump());
    }
    // A component is part of the run's identity by its content, not its path.
    if (auto c = meta.find("components"); c != meta.end()) {
        const nlohmann::json saved = nlohmann::json::parse(c->second);
        for (auto s = saved.begin(); s != saved.end(); ++s) {
            auto now = run.components.find(s.key());
            if (now != run.components.end() && now->second.sha256 != s.value().value("sha256", ""))
                differences += "\n  components." + s.key() + ": its checkpoint changed (sha256 was " +
                               s.value().value("sha256", "").substr(0, 12) + "..., now " + now->second.sha256.substr(0, 12) +
                               "...)";
        }
    }
    if (!differences.empty())
        throw Error("--resume: the pipeline differs from the run in " + checkpoint + " in what shapes the result:" +
                    differences + "\nresume with the same pipeline and --set options, or start a new run with another --output");
}

}  // namespace genhost::run
