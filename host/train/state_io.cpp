#include "train/state_io.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace genhost::train::detail {

std::vector<NamedTensor> export_entries(const std::vector<StateEntry>& entries) {
    std::vector<NamedTensor> out;
    out.reserve(entries.size());
    for (const StateEntry& e : entries) {
        NamedTensor t;
        t.name = e.name;
        if (!e.is_step) t.shape = {static_cast<std::int64_t>(e.size)};
        t.data.assign(e.data, e.data + e.size);
        out.push_back(std::move(t));
    }
    return out;
}

namespace {

std::string from(std::string_view source) {
    return source.empty() ? std::string("the checkpoint") : "checkpoint " + std::string(source);
}

}  // namespace

void import_entries(const std::vector<StateEntry>& entries, const std::vector<NamedTensor>& tensors,
                    std::string_view prefix, std::string_view owner, std::string_view source) {
    const std::string where = from(source);
    std::map<std::string_view, const NamedTensor*> by_name;
    for (const NamedTensor& t : tensors) {
        if (t.name.compare(0, prefix.size(), prefix) != 0) continue;
        if (!by_name.emplace(t.name, &t).second)
            throw Error(where + ": tensor '" + t.name + "' appears twice; the file is corrupt");
    }
    std::map<std::string_view, const StateEntry*> expected;
    for (const StateEntry& e : entries) expected.emplace(e.name, &e);

    for (const auto& [name, t] : by_name) {
        if (expected.count(name) == 0)
            throw Error(where + " has '" + std::string(name) + "', which the " + std::string(owner) +
                        " does not use: the checkpoint was written with a different optimizer type, "
                        "different options (e.g. momentum, amsgrad, centered) or a different model; "
                        "resume with the settings it was written with");
    }
    for (const StateEntry& e : entries) {
        auto it = by_name.find(e.name);
        if (it == by_name.end())
            throw Error(where + " lacks '" + e.name + "', which the " + std::string(owner) +
                        " needs to resume exactly: the checkpoint was written with a different "
                        "optimizer type, different options or a different model; resume with the "
                        "settings it was written with");
        const NamedTensor& t = *it->second;
        if (t.data.size() != e.size) {
            std::ostringstream msg;
            msg << where << ": '" << e.name << "' has " << t.data.size() << " floats, the "
                << owner << " expects " << e.size
                << ": the parameter changed size since the checkpoint was written (a different "
                   "model configuration?); resume with the configuration it was written with";
            throw Error(msg.str());
        }
        if (e.is_step) {
            const float s = t.data[0];
            if (!(s >= 0.0f && s <= static_cast<float>(kMaxExactStep) && std::floor(s) == s)) {
                std::ostringstream msg;
                msg << where << ": '" << e.name << "' is " << s
                    << ", expected a whole step count in [0, " << kMaxExactStep
                    << "]; the file is corrupt";
                throw Error(msg.str());
            }
        }
    }
    for (const StateEntry& e : entries) {
        const NamedTensor& t = *by_name.at(e.name);
        std::copy(t.data.begin(), t.data.end(), e.data);
    }
}

}  // namespace genhost::train::detail
