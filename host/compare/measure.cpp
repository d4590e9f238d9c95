#include "compare/measure.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "compare/child.hpp"
#include "util/error.hpp"

namespace genhost::compare {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw Error(file.string() + ": missing; the run did not write it");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(file.string() + ": not valid JSON (" + e.what() + "); rerun that run, or delete its folder so the comparison runs it again");
    }
}

double number(const nlohmann::json& j, const std::string& key) {
    return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : kNaN;
}

// [[step, value], ...] of a column, skipping empty cells.
nlohmann::json series(const Table& t, int col) {
    nlohmann::json points = nlohmann::json::array();
    if (col < 0) return points;
    for (const auto& row : t.rows)
        if (std::isfinite(row[static_cast<size_t>(col)])) points.push_back({row[0], row[static_cast<size_t>(col)]});
    return points;
}

// The likelihood a run reported, as one number of bits/dim and what it is.
nlohmann::json likelihood(const nlohmann::json& metrics) {
    if (!metrics.contains("likelihood")) return {{"label", "none"}};
    const nlohmann::json& l = metrics["likelihood"];
    const std::string kind = l.value("kind", std::string());
    for (const char* key : {"bits_per_dim", "iw_bound_bits_per_dim", "elbo_bits_per_dim"})
        if (l.contains(key) && l[key].is_number())
            return {{"label", kind.rfind("exact", 0) == 0 ? "exact" : "bound"}, {"kind", kind}, {"quantity", key},
                    {"bits_per_dim", l[key]}, {"images", l.value("images", 0)}};
    return {{"label", "none"}, {"kind", kind}};
}

}  // namespace

int Table::column(const std::string& name) const {
    const auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

Table read_csv(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw Error(file.string() + ": missing; the run did not write it");
    Table t;
    std::string line;
    for (bool header = true; std::getline(in, line); header = false) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
        if (!line.empty() && line.back() == ',') cells.emplace_back();
        if (header) {
            t.columns = cells;
            continue;
        }
        std::vector<double> row(t.columns.size(), kNaN);
        for (size_t i = 0; i < cells.size() && i < row.size(); ++i) {
            char* end = nullptr;
            const double v = std::strtod(cells[i].c_str(), &end);
            if (!cells[i].empty() && end && *end == '\0') row[i] = v;
        }
        t.rows.push_back(row);
    }
    return t;
}

nlohmann::json mean_std(const std::vector<double>& values) {
    std::vector<double> v;
    for (double x : values)
        if (std::isfinite(x)) v.push_back(x);
    if (v.empty()) return nullptr;
    double mean = 0;
    for (double x : v) mean += x / static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    const double sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
    return {{"mean", mean}, {"std", sd}, {"n", v.size()}};
}

nlohmann::json measure_family(const Comparison& c, const FamilyRuns& runs) {
    const FamilyPlan& plan = *runs.plan;
    nlohmann::json f = {{"label", plan.family->label},
                        {"pipeline", plan.family->pipeline.string()},
                        {"steps", plan.steps},
                        {"images_per_step", plan.images_per_step},
                        {"phases", plan.phases},
                        {"evaluate_every", plan.evaluate_every}};
    static const std::vector<std::string> quality = {"fid", "kid", "inception_score", "precision", "recall"};
    std::map<std::string, std::vector<double>> values;
    nlohmann::json lik_kind;
    for (const auto& [seed, record] : runs.seeds) {
        const nlohmann::json metrics = read_json(record.folder / "metrics.json");
        const Table log = read_csv(record.folder / "train_log.csv");
        nlohmann::json run = {{"seed", seed}, {"folder", record.folder.string()}, {"command", command_line(record.args)},
                              {"seconds", record.seconds}, {"peak_mb", record.peak_mb}, {"reused", record.reused}};
        for (const auto& q : quality) {
            const double v = number(metrics.value("metrics", nlohmann::json()), q);
            run["metrics"][q] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
            values[q].push_back(v);
        }
        run["likelihood"] = likelihood(metrics);
        values["bits_per_dim"].push_back(number(run["likelihood"], "bits_per_dim"));
        if (lik_kind.is_null() || lik_kind["label"] == "none") lik_kind = run["likelihood"];
        // Training speed: the median over the log's intervals (evaluation time excluded).
        std::vector<double> rates;
        for (const auto& row : log.rows)
            if (const int col = log.column("images_per_s"); col >= 0 && std::isfinite(row[static_cast<size_t>(col)]))
                rates.push_back(row[static_cast<size_t>(col)]);
        std::sort(rates.begin(), rates.end());
        run["images_per_s"] = rates.empty() ? nlohmann::json() : nlohmann::json(rates[rates.size() / 2]);
        values["images_per_s"].push_back(rates.empty() ? kNaN : rates[rates.size() / 2]);
        values["train_peak_mb"].push_back(record.peak_mb);
        // FID over training, and its spread over the last evaluations.
        run["fid_curve"] = series(log, log.column("fid"));
        std::vector<double> last;
        for (size_t i = run["fid_curve"].size() > static_cast<size_t>(c.fid_last) ? run["fid_curve"].size() - c.fid_last : 0;
             i < run["fid_curve"].size(); ++i)
            last.push_back(run["fid_curve"][i][1].get<double>());
        const nlohmann::json spread = last.size() >= 2 ? mean_std(last) : nlohmann::json();
        run["fid_last"] = spread;
        values["fid_last_std"].push_back(spread.is_null() ? kNaN : spread["std"].get<double>());
        // Loss curves: every phase loss column (between epoch and the learning rates).
        for (size_t col = 2; col < log.columns.size() && log.columns[col].rfind("lr", 0) != 0; ++col)
            run["loss"][log.columns[col]] = series(log, static_cast<int>(col));
        f["runs"].push_back(run);
    }
    for (const auto& q : quality) f["quality"][q] = mean_std(values[q]);
    const nlohmann::json fid = f["quality"]["fid"];
    f["stability"] = {{"fid_std_over_seeds", fid.is_null() || fid["n"].get<int>() < 2 ? nlohmann::json() : fid["std"]},
                      {"fid_std_over_last_evaluations", mean_std(values["fid_last_std"])},
                      {"last_evaluations", c.fid_last}};
    f["efficiency"] = {{"train_images_per_s", mean_std(values["images_per_s"])},
                       {"train_peak_mb", mean_std(values["train_peak_mb"])},
                       {"sampling", nlohmann::json::array()}};
    for (const auto& s : runs.sampling) {
        const nlohmann::json metrics = read_json(s.run.folder / "metrics.json");
        const nlohmann::json& sample = metrics.value("sample", nlohmann::json::object());
        f["efficiency"]["sampling"].push_back({{"sampler", s.sampler},
                                               {"images", sample.value("images", c.sample_images)},
                                               {"seconds", sample.value("seconds", s.run.seconds)},
                                               {"steps", sample.value("steps", 0)},
                                               {"wall_seconds", s.run.seconds},
                                               {"peak_mb", s.run.peak_mb},
                                               {"grid", (s.run.folder / "samples.png").string()},
                                               {"command", command_line(s.run.args)}});
    }
    f["likelihood"] = lik_kind;
    f["likelihood"].erase("bits_per_dim");
    f["likelihood"]["bits_per_dim"] = mean_std(values["bits_per_dim"]);
    return f;
}

}  // namespace genhost::compare
