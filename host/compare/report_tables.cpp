// The report's tables as text cells, shared by the Markdown and HTML writers.
#include <iomanip>
#include <sstream>

#include "compare/report.hpp"

namespace genhost::compare {

namespace {

std::string fixed(const nlohmann::json& v, int precision) {
    if (!v.is_number()) return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(precision) << v.get<double>();
    return s.str();
}

}  // namespace

TextTable measured_table(const nlohmann::json& report) {
    const int last = report["settings"]["fid_over_training"]["last"].get<int>();
    TextTable t = {{"family", "FID ↓", "KID ↓", "IS ↑", "precision ↑", "recall ↑", "FID std over seeds ↓",
                    "FID std over last " + std::to_string(last) + " evaluations ↓", "training images/s ↑",
                    "training peak MB", "bits/dim ↓ (kind)"}};
    for (const auto& f : report["families"]) {
        const auto& q = f["quality"];
        const auto& l = f["likelihood"];
        const std::string kind = l.value("label", std::string("none"));
        t.push_back({f["label"].get<std::string>(), format_mean_std(q["fid"], 2), format_mean_std(q["kid"], 4),
                     format_mean_std(q["inception_score"], 2), format_mean_std(q["precision"], 3),
                     format_mean_std(q["recall"], 3), fixed(f["stability"]["fid_std_over_seeds"], 2),
                     format_mean_std(f["stability"]["fid_std_over_last_evaluations"], 2),
                     format_mean_std(f["efficiency"]["train_images_per_s"], 0),
                     format_mean_std(f["efficiency"]["train_peak_mb"], 0),
                     kind == "none" ? "none" : format_mean_std(l["bits_per_dim"], 3) + " (" + kind + ")"});
    }
    return t;
}

TextTable sampling_table(const nlohmann::json& report) {
    TextTable t = {{"family", "sampler", "images", "seconds ↓", "peak MB ↓"}};
    for (const auto& f : report["families"])
        for (const auto& s : f["efficiency"]["sampling"])
            t.push_back({f["label"].get<std::string>(), s["sampler"].get<std::string>(), std::to_string(s["images"].get<int64_t>()),
                         fixed(s["seconds"], 2), fixed(s["peak_mb"], 0)});
    return t;
}

TextTable stars_table(const nlohmann::json& report) {
    TextTable t = {{""}};
    for (const auto& f : report["families"]) t[0].push_back(f["label"].get<std::string>());
    const std::pair<const char*, const char*> rows[] = {
        {"quality", "Sample quality"}, {"stability", "Training stability"}, {"efficiency", "Efficiency"}, {"likelihood", "Likelihood"}};
    for (const auto& [key, title] : rows) {
        std::vector<std::string> row = {title};
        for (const auto& f : report["families"]) {
            std::string why;
            const std::string k = key;
            if (k == "quality") why = "FID " + format_mean_std(f["quality"]["fid"], 1);
            if (k == "stability") {
                const bool seeds = f["stability"]["fid_std_over_seeds"].is_number();
                why = (seeds ? "FID std " + fixed(f["stability"]["fid_std_over_seeds"], 1) + " over seeds + "
                             : std::string("FID std ")) +
                      format_mean_std(f["stability"]["fid_std_over_last_evaluations"], 1) + " at the end";
                // What the stars rank: the sum relative to the FID (stars.hpp).
                if (f.contains("/scores/stability"_json_pointer) && f["scores"]["stability"].is_number())
                    why += std::string(seeds ? ", together " : ": ") +
                           fixed(nlohmann::json(-100.0 * f["scores"]["stability"].get<double>()), 1) + "% of FID";
            }
            if (k == "efficiency") {
                double fastest = -1;
                for (const auto& smp : f["efficiency"]["sampling"])
                    if (fastest < 0 || smp["seconds"].get<double>() < fastest) fastest = smp["seconds"].get<double>();
                why = format_mean_std(f["efficiency"]["train_images_per_s"], 0) + " img/s, sampling " + fixed(fastest, 2) + " s";
            }
            if (k == "likelihood")
                why = f["likelihood"].value("label", std::string("none")) == "none"
                          ? ""
                          : f["likelihood"]["label"].get<std::string>() + ", " + format_mean_std(f["likelihood"]["bits_per_dim"], 3) + " bits/dim";
            row.push_back(format_stars(f["stars"][key]) + (why.empty() ? "" : " (" + why + ")"));
        }
        t.push_back(row);
    }
    return t;
}

}  // namespace genhost::compare
