#include "evaluate/auroc.hpp"

#include <algorithm>
#include <numeric>

#include "util/error.hpp"

namespace genhost::evaluate {

double auroc(const std::vector<double>& scores, const std::vector<bool>& positive) {
    if (scores.size() != positive.size()) throw Error("auroc: scores and labels differ in length");
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    // Sum of the positives' ranks (1-based), ties given their average rank.
    double rank_sum = 0;
    size_t n_pos = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
        const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (size_t k = i; k < j; ++k)
            if (positive[order[k]]) rank_sum += average_rank, ++n_pos;
        i = j;
    }
    const size_t n_neg = scores.size() - n_pos;
    if (n_pos == 0 || n_neg == 0)
        throw Error("anomaly AUROC needs test images of both trained and held-out classes; set data.classes to a "
                    "subset of the labels (e.g. [0, 1, 2]) or evaluate.anomaly: false");
    const double u = rank_sum - static_cast<double>(n_pos) * static_cast<double>(n_pos + 1) / 2.0;
    return u / (static_cast<double>(n_pos) * static_cast<double>(n_neg));
}

}  // namespace genhost::evaluate
