#include "compare/stars.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace genhost::compare {

namespace {

double get(const nlohmann::json& j, const nlohmann::json::json_pointer& p) {
    return j.contains(p) && j[p].is_number() ? j[p].get<double>() : std::numeric_limits<double>::quiet_NaN();
}

double quality(const nlohmann::json& f) { return -get(f, "/quality/fid/mean"_json_pointer); }

double stability(const nlohmann::json& f) {
    const double fid = get(f, "/quality/fid/mean"_json_pointer);
    double seeds = get(f, "/stability/fid_std_over_seeds"_json_pointer);
    double last = get(f, "/stability/fid_std_over_last_evaluations/mean"_json_pointer);
    if (!std::isfinite(seeds) && !std::isfinite(last)) return std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(seeds)) seeds = 0;
    if (!std::isfinite(last)) last = 0;
    return -(seeds + last) / std::max(1e-9, fid);
}

double efficiency(const nlohmann::json& f) {
    const double rate = get(f, "/efficiency/train_images_per_s/mean"_json_pointer);
    double fastest = std::numeric_limits<double>::infinity();
    for (const auto& s : f["efficiency"]["sampling"]) fastest = std::min(fastest, s.value("seconds", fastest));
    if (!(rate > 0) || !std::isfinite(fastest)) return std::numeric_limits<double>::quiet_NaN();
    return std::log10(rate) - std::log10(std::max(1e-6, fastest));
}

}  // namespace

const char* stars_rule() {
    return "Per criterion, each family gets a score; stars = 1 + round(2 x (score - worst) / (best - worst)), "
           "so the best family gets 3 stars and the worst 1 (3 for all when they are equal). "
           "Quality: score = -mean FID. "
           "Stability: score = -(FID std over seeds + mean FID std over the last evaluations in training) / mean FID. "
           "Efficiency: score = log10(training images/s) - log10(seconds to sample the images with the family's "
           "fastest sampler). "
           "Likelihood: exact = 3 stars, a bound = 2, none = no stars: what a family can say about p(x), since "
           "bits/dim of a density, of a binarised bound and of an exact discrete model are not on one footing.";
}

void add_stars(nlohmann::json& families) {
    using Score = double (*)(const nlohmann::json&);
    const std::pair<const char*, Score> criteria[] = {{"quality", quality}, {"stability", stability}, {"efficiency", efficiency}};
    for (const auto& [name, score] : criteria) {
        double best = -std::numeric_limits<double>::infinity(), worst = std::numeric_limits<double>::infinity();
        for (auto& f : families) {
            const double s = score(f);
            f["scores"][name] = std::isfinite(s) ? nlohmann::json(s) : nlohmann::json();
            if (std::isfinite(s)) best = std::max(best, s), worst = std::min(worst, s);
        }
        for (auto& f : families) {
            const double s = score(f);
            if (!std::isfinite(s)) {
                f["stars"][name] = nullptr;
                continue;
            }
            f["stars"][name] = best - worst > 1e-12 ? 1 + static_cast<int>(std::lround(2.0 * (s - worst) / (best - worst))) : 3;
        }
    }
    for (auto& f : families) {
        const std::string label = f["likelihood"].value("label", std::string("none"));
        f["stars"]["likelihood"] = label == "exact" ? nlohmann::json(3) : label == "bound" ? nlohmann::json(2) : nlohmann::json();
    }
}

}  // namespace genhost::compare
