// What the runs measured, read back from their folders (metrics.json, train_log.csv,
// the runner's records) and summarised per family as mean and standard deviation over
// seeds: the numbers of report.json, which the report writers only lay out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/runner.hpp"

namespace genhost::compare {

// A CSV file of numbers with a header (train_log.csv); an empty cell is NaN.
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;
    int column(const std::string& name) const;  // -1 when absent
};
Table read_csv(const std::filesystem::path& file);

// {"mean", "std", "n"} of the finite values (std: the sample standard deviation, n - 1;
// 0 for one value); null when there is none.
nlohmann::json mean_std(const std::vector<double>& values);

// report.json's "families" entry of one family (without stars: stars.hpp adds them).
nlohmann::json measure_family(const Comparison& c, const FamilyRuns& runs);

}  // namespace genhost::compare
