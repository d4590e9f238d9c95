#include "compare/compare.hpp"

#include <chrono>
#include <ctime>

#include "compare/measure.hpp"
#include "compare/stars.hpp"

namespace genhost::compare {

nlohmann::json compare_report(const Comparison& c, const std::vector<FamilyRuns>& runs, const std::string& command) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    nlohmann::json report = {{"name", c.name},
                             {"genhost_version", GENHOST_HOST_VERSION},
                             {"date", date},
                             {"comparison", c.file.string()},
                             {"command", command},
                             {"settings", c.json},
                             {"stars_rule", nullptr},
                             {"families", nlohmann::json::array()}};
    for (const FamilyRuns& r : runs) {
        nlohmann::json f = measure_family(c, r);
        f["name"] = r.plan->family->name;
        report["families"].push_back(f);
    }
    add_stars(report["families"]);
    report["stars_rule"] = stars_rule();
    return report;
}

}  // namespace genhost::compare
