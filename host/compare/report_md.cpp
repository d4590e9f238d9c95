// report.md: the tables and where everything is, for a terminal.
#include "compare/report.hpp"

namespace genhost::compare {

namespace {

std::string markdown(const TextTable& t) {
    std::string s;
    for (size_t r = 0; r < t.size(); ++r) {
        s += "|";
        for (const auto& cell : t[r]) s += " " + cell + " |";
        s += "\n";
        if (r == 0) {
            s += "|";
            for (size_t i = 0; i < t[r].size(); ++i) s += "---|";
            s += "\n";
        }
    }
    return s;
}

}  // namespace

std::string report_markdown(const nlohmann::json& report) {
    const nlohmann::json& s = report["settings"];
    std::string md = "# Family comparison: " + report["name"].get<std::string>() + "\n\n";
    md += "genhost " + report["genhost_version"].get<std::string>() + ", " + report["date"].get<std::string>() + ". Budget: " +
          std::to_string(s["budget"]["images"].get<int64_t>()) + " training images per family and seed; seeds " +
          s["seeds"].dump() + "; metrics on " + std::to_string(s["samples"].get<int64_t>()) +
          " generated images against as many test images (mean ± std over seeds).\n\n";
    md += "## The course's table\n\n" + markdown(stars_table(report)) + "\n" + report["stars_rule"].get<std::string>() + "\n\n";
    md += "## Measured\n\n" + markdown(measured_table(report)) + "\n";
    md += "## Sampling " + std::to_string(s["sample_images"].get<int64_t>()) + " images\n\n" + markdown(sampling_table(report)) + "\n";
    md += "## Sample grids\n\n";
    for (const auto& f : report["families"])
        for (const auto& smp : f["efficiency"]["sampling"])
            md += "- " + f["label"].get<std::string>() + ", " + smp["sampler"].get<std::string>() + ": " +
                  smp["grid"].get<std::string>() + "\n";
    md += "\n## Commands\n\n```sh\n" + report["command"].get<std::string>() + "\n```\n\nEach run:\n\n```sh\n";
    for (const auto& f : report["families"]) {
        for (const auto& r : f["runs"]) md += r["command"].get<std::string>() + "\n";
        for (const auto& smp : f["efficiency"]["sampling"]) md += smp["command"].get<std::string>() + "\n";
    }
    md += "```\n";
    return md;
}

}  // namespace genhost::compare
