#include "compare/report.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "checkpoint/atomic_file.hpp"

namespace genhost::compare {

std::string format_mean_std(const nlohmann::json& stat, int precision) {
    if (!stat.is_object() || !stat.contains("mean")) return "-";
    std::ostringstream s;
    const double mean = stat["mean"].get<double>();
    // Digits that mean something: 79.24 rather than 79.2438, 305.4 rather than 305.42.
    const int digits = std::fabs(mean) >= 100 ? std::min(1, precision) : std::fabs(mean) >= 10 ? std::min(2, precision) : precision;
    s << std::fixed << std::setprecision(digits) << mean;
    if (stat.value("n", 1) > 1) s << " ± " << stat["std"].get<double>();
    return s.str();
}

std::string format_stars(const nlohmann::json& stars, int of) {
    if (!stars.is_number()) return "none";
    std::string s;
    for (int i = 0; i < of; ++i) s += i < stars.get<int>() ? "★" : "☆";
    return s;
}

void write_reports(const std::filesystem::path& folder, const nlohmann::json& report) {
    checkpoint::write_text_atomic((folder / "report.json").string(), report.dump(2) + "\n");
    checkpoint::write_text_atomic((folder / "report.md").string(), report_markdown(report));
    checkpoint::write_text_atomic((folder / "report.html").string(), report_html(report));
}

}  // namespace genhost::compare
