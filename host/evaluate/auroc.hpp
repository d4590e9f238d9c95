// Area under the ROC curve: the probability that a random positive scores higher than a
// random negative (ties count one half), i.e. the Mann-Whitney U statistic normalised.
#pragma once

#include <vector>

namespace genhost::evaluate {

// Throws genhost::Error unless both classes are present.
double auroc(const std::vector<double>& scores, const std::vector<bool>& positive);

}  // namespace genhost::evaluate
