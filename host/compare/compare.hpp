// genhost compare: the family comparison of docs/comparison.md, in one call.
//
//   auto c = load_comparison("examples/compare-families.yaml");   // spec.hpp
//   auto plans = plan_families(c, registry);                       // plan.hpp: checks, budget
//   auto runs = run_comparison(c, plans, {});                      // runner.hpp: child runs
//   write_reports(c.output, compare_report(c, runs, "genhost compare ..."));  // report.hpp
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/runner.hpp"
#include "compare/spec.hpp"

namespace genhost::compare {

// report.json: the settings, every family's measurements and stars, the command
// (`command`, as typed), the date and the genhost version.
nlohmann::json compare_report(const Comparison& c, const std::vector<FamilyRuns>& runs, const std::string& command);

}  // namespace genhost::compare
