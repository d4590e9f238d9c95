#include "common/timesteps.hpp"

#include <cmath>
#include <stdexcept>

#include "common/noise_schedule.hpp"

namespace genhost::schedulers {

Spacing parse_spacing(const std::string& name) {
    if (name == "linspace") return Spacing::linspace;
    if (name == "leading") return Spacing::leading;
    if (name == "trailing") return Spacing::trailing;
    throw std::invalid_argument("timestep_spacing '" + name + "' is not one of linspace, leading, trailing");
}

void check_inference_steps(const std::string& who, uint32_t n, int64_t num_train_timesteps) {
    if (n == 0 || static_cast<int64_t>(n) > num_train_timesteps)
        throw std::invalid_argument(who + ": set_timesteps(" + std::to_string(n) +
                                    "): the number of inference steps must be in [1, num_train_timesteps = " +
                                    std::to_string(num_train_timesteps) + "]; lower num_inference_steps");
}

namespace {

// np.round: half to even, which nearbyint gives in the default rounding mode.
double round_even(double x) { return std::nearbyint(x); }

std::vector<double> reversed(std::vector<double> v) { return std::vector<double>(v.rbegin(), v.rend()); }

// round(N - i * N / n) - 1 for i in [0, n). numpy.arange(N, 0, -N / n) sometimes yields
// n + 1 values through rounding (N = 1000, n = 61, a timestep of -1); we keep exactly n.
std::vector<double> trailing(int64_t N, uint32_t n) {
    const double ratio = static_cast<double>(N) / static_cast<double>(n);
    std::vector<double> t(n);
    for (uint32_t i = 0; i < n; ++i) t[i] = round_even(static_cast<double>(N) - i * ratio) - 1.0;
    return t;
}

std::vector<double> leading(int64_t N, uint32_t parts, uint32_t keep, int64_t offset) {
    const int64_t ratio = N / parts;
    std::vector<double> t(keep);
    for (uint32_t i = 0; i < keep; ++i)
        t[i] = static_cast<double>((static_cast<int64_t>(parts) - 1 - i) * ratio + offset);
    return t;
}

}  // namespace

std::vector<double> discrete_timesteps(int64_t N, uint32_t n, Spacing spacing, int64_t offset) {
    switch (spacing) {
        case Spacing::linspace: {
            std::vector<double> t = linspace(0.0, static_cast<double>(N - 1), n);
            for (double& x : t) x = round_even(x);
            return reversed(t);
        }
        case Spacing::leading: return leading(N, n, n, offset);
        case Spacing::trailing: return trailing(N, n);
    }
    return {};
}

std::vector<double> continuous_timesteps(int64_t N, uint32_t n, Spacing spacing, int64_t offset) {
    if (spacing == Spacing::linspace) return reversed(linspace(0.0, static_cast<double>(N - 1), n));
    return discrete_timesteps(N, n, spacing, offset);
}

std::vector<double> dpm_solver_timesteps(int64_t N, uint32_t n, Spacing spacing, int64_t offset) {
    switch (spacing) {
        case Spacing::linspace: {
            std::vector<double> t = reversed(linspace(0.0, static_cast<double>(N - 1), n + 1));
            t.pop_back();
            for (double& x : t) x = round_even(x);
            return t;
        }
        case Spacing::leading: return leading(N, n + 1, n, offset);
        case Spacing::trailing: return trailing(N, n);
    }
    return {};
}


void check_timestep_range(const std::string& who, const std::vector<double>& timesteps, int64_t N) {
    for (size_t i = 0; i < timesteps.size(); ++i)
        if (timesteps[i] < 0.0 || timesteps[i] > static_cast<double>(N - 1))
            throw std::invalid_argument(who + ": timestep " + std::to_string(i) + " is " +
                                        std::to_string(static_cast<int64_t>(timesteps[i])) +
                                        ", outside [0, num_train_timesteps - 1 = " + std::to_string(N - 1) +
                                        "]; lower steps_offset or use fewer inference steps");
}

}  // namespace genhost::schedulers
