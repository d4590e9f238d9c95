#include "data/dataset.hpp"

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

}  // namespace genhost::data
