#include "data/dataset.hpp"

#include <algorithm>

namespace genhost::data {

std::string describe(const Dataset& ds) {
    std::string s = ds.source + ": " + std::to_string(ds.n) + " images " +
                    std::to_string(ds.channels) + "x" + std::to_string(ds.height) + "x" +
                    std::to_string(ds.width);
    if (!ds.labelled()) return s + ", unlabelled";
    s += ", " + std::to_string(ds.num_classes) + " classes";
    if (!ds.class_names.empty()) {
        s += ":";
        for (size_t i = 0; i < ds.class_names.size(); ++i) {
            s += " " + std::to_string(i) + "=" + ds.class_names[i];
        }
    }
    return s;
}

std::string describe(const Dataset& ds, const DataOptions& o) {
    const std::string all = describe(ds);
    if (o.limit <= 0 && o.classes.empty()) return all;
    // As DataLoader selects: the examples of the kept classes, in order, up to the limit.
    int64_t used = 0;
    for (int64_t i = 0; i < ds.n && (o.limit <= 0 || used < o.limit); ++i)
        if (o.classes.empty() ||
            (ds.labelled() && std::find(o.classes.begin(), o.classes.end(), ds.labels[size_t(i)]) != o.classes.end()))
            ++used;
    if (used == ds.n) return all;
    const char* why = o.classes.empty() ? "data.limit" : o.limit > 0 ? "data.classes and data.limit" : "data.classes";
    return all + "; " + std::to_string(used) + " of them used (" + why + ")";
}

}  // namespace genhost::data
