// The course's table in stars, derived from the measured numbers by one stated rule
// (docs/comparison.md): per criterion a score per family, then
//
//   stars = 1 + round(2 * (score - worst) / (best - worst))      (3 when all are equal)
//
// so the best family gets 3 stars, the worst 1, the others by where they fall between.
//   quality     score = -mean FID
//   stability   score = -(FID std over seeds + mean FID std over the last evaluations) / mean FID
//   efficiency  score = log10(training images/s) - log10(seconds to sample the images by the fastest sampler)
//   likelihood  exact = 3, bound = 2, none = no stars ("none"): what the model can tell about
//               p(x), not a ranking of bits/dim that are not on the same footing (docs/pipeline.md)
// A family without the numbers a criterion needs gets null (shown as "-").
#pragma once

#include <nlohmann/json.hpp>

namespace genhost::compare {

// The rule above, as text for the reports.
const char* stars_rule();

// Adds "scores" and "stars" ({quality, stability, efficiency, likelihood}) to every
// family of report.json's "families" object.
void add_stars(nlohmann::json& families);

}  // namespace genhost::compare
