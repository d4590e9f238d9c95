#include "run/stages/style_checks.hpp"

#include "run/context.hpp"
#include "run/stages/stage.hpp"
#include "util/error.hpp"

namespace genhost::run {

bool check_style(const RunContext& run, const std::string& key, Problems& problems) {
    try {
        if (run.model->style() && run.model->generator()) {
            run.model->style_dims();  // refuses absurd sizes now rather than after training
            return true;
        }
    } catch (const Error& e) {
        problems.add(run.at(key) + ": " + e.what());
        return false;
    }
    problems.add(run.at(key) + ": plugin '" + run.model->id() +
                 "' is not a style-based generator (it needs genhost.style/1 and genhost.generator/1, as "
                 "stylegan has); remove the " + key + " section");
    return false;
}

}  // namespace genhost::run
