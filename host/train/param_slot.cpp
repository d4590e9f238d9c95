#include "train/param_slot.hpp"

#include "util/error.hpp"

#include <set>

namespace genhost::train {

void validate_slots(const std::vector<ParamSlot>& params, std::string_view owner, bool need_grad) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const ParamSlot& p = params[i];
        const std::string who = std::string(owner) + ", parameter #" + std::to_string(i);
        if (p.name.empty())
            throw Error(who + ": the name is empty; every parameter needs a unique name "
                              "(it keys the saved optimizer state)");
        if (!seen.insert(p.name).second)
            throw Error(who + ": the name '" + p.name + "' is used twice; parameter names must be "
                              "unique within a group (they key the saved optimizer state)");
        if (p.size > 0 && p.value == nullptr)
            throw Error(who + " '" + p.name + "': value is null but size is " + std::to_string(p.size));
        if (need_grad && p.size > 0 && p.grad == nullptr)
            throw Error(who + " '" + p.name + "': grad is null but size is " + std::to_string(p.size));
    }
}

}  // namespace genhost::train
