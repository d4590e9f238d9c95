// The comparison's report, from report.json's numbers (measure.hpp, stars.hpp):
//   report.json  every number, the settings, the commands and the version
//   report.md    the tables, for reading in a terminal
//   report.html  one self-contained file: the tables, sample grids (PNG as data: URIs),
//                loss and FID-over-training charts (inline SVG), the commands; no network
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace genhost::compare {

// A number as the tables show it: mean ± std (std left out for one value), "-" for null.
std::string format_mean_std(const nlohmann::json& stat, int precision = 3);
// "★★☆" for 2 stars; "none" for null.
std::string format_stars(const nlohmann::json& stars, int of = 3);

// A table as text cells, the first row its header: what both writers lay out.
using TextTable = std::vector<std::vector<std::string>>;
// Family x measured numbers (quality, stability, efficiency, likelihood).
TextTable measured_table(const nlohmann::json& report);
// The course's table: criterion x family, stars and the number they come from.
TextTable stars_table(const nlohmann::json& report);
// Family x sampler: time and peak memory to sample the images.
TextTable sampling_table(const nlohmann::json& report);

std::string report_markdown(const nlohmann::json& report);
// Reads the grids the report names, to embed them.
std::string report_html(const nlohmann::json& report);

// Writes the three files into `folder`, each atomically.
void write_reports(const std::filesystem::path& folder, const nlohmann::json& report);

}  // namespace genhost::compare
