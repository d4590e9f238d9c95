// Which training timesteps a sampling run of n steps visits, as diffusers spaces them
// (Lin et al. 2023, Table 2). All lists run from the noisiest step down.
//   linspace: evenly from num_train_timesteps - 1 to 0
//   leading:  multiples of num_train_timesteps // n, plus steps_offset
//   trailing: evenly from num_train_timesteps - 1 down, rounding each stride
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <genhost/cpp/scheduler/noise_schedule.hpp>

namespace genhost::schedulers {

enum class Spacing { linspace, leading, trailing };

Spacing parse_spacing(const std::string& name);  // throws std::invalid_argument

// Throws std::invalid_argument unless 1 <= n <= num_train_timesteps; `who` names the
// plugin in the message.
void check_inference_steps(const std::string& who, uint32_t n, int64_t num_train_timesteps);

// Integer timesteps of DDPM and DDIM (linspace rounded half to even, as numpy does).
std::vector<double> discrete_timesteps(int64_t num_train_timesteps, uint32_t n, Spacing spacing,
                                       int64_t steps_offset);

// Timesteps of the sigma-based samplers (Euler, Euler ancestral, Heun): as
// discrete_timesteps, but linspace keeps its fractional values.
std::vector<double> continuous_timesteps(int64_t num_train_timesteps, uint32_t n, Spacing spacing,
                                         int64_t steps_offset);

// Timesteps of DPM-Solver multistep: linspace and leading divide the range into n + 1
// parts and drop the final 0, so the last step lands on the smallest sigma.
std::vector<double> dpm_solver_timesteps(int64_t num_train_timesteps, uint32_t n, Spacing spacing,
                                         int64_t steps_offset);


// Throws std::invalid_argument when a timestep falls outside [0, num_train_timesteps)
// (leading spacing with a large steps_offset).
void check_timestep_range(const std::string& who, const std::vector<double>& timesteps,
                          int64_t num_train_timesteps);

// ---- implementation (header-only: nothing to link) ----

inline Spacing parse_spacing(const std::string& name) {
    if (name == "linspace") return Spacing::linspace;
    if (name == "leading") return Spacing::leading;
    if (name == "trailing") return Spacing::trailing;
    throw std::invalid_argument("timestep_spacing '" + name + "' is not one of linspace, leading, trailing");
}

inline void check_inference_steps(const std::string& who, uint32_t n, int64_t num_train_timesteps) {
    if (n == 0 || static_cast<int64_t>(n) > num_train_timesteps)
        throw std::invalid_argument(who + ": set_timesteps(" + std::to_string(n) +
                                    "): the number of inference steps must be in [1, num_train_timesteps = " +
                                    std::to_string(num_train_timesteps) + "]; lower num_inference_steps");
}

namespace detail {

// np.round: half to even, which nearbyint gives in the default rounding mode.
inline double round_even(double x) { return std::nearbyint(x); }

inline std::vector<double> reversed(std::vector<double> v) { return std::vector<double>(v.rbegin(), v.rend()); }

// round(N - i * N / n) - 1 for i in [0, n). numpy.arange(N, 0, -N / n) sometimes yields
// n + 1 values through rounding (N = 1000, n = 61, a timestep of -1); we keep exactly n.
inline std::vector<double> trailing(int64_t N, uint32_t n) {
    const double ratio = static_cast<double>(N) / static_cast<double>(n);
    std::vector<double> t(n);
    for (uint32_t i = 0; i < n; ++i) t[i] = round_even(static_cast<double>(N) - i * ratio) - 1.0;
    return t;
}

inline std::vector<double> leading(int64_t N, uint32_t parts, uint32_t keep, int64_t offset) {
    const int64_t ratio = N / parts;
    std::vector<double> t(keep);
    for (uint32_t i = 0; i < keep; ++i)
        t[i] = static_cast<double>((static_cast<int64_t>(parts) - 1 - i) * ratio + offset);
    return t;
}

}  // namespace detail

inline std::vector<double> discrete_timesteps(int64_t N, uint32_t n, Spacing spacing, int64_t offset) {
    switch (spacing) {
        case Spacing::linspace: {
            std::vector<double> t = linspace(0.0, static_cast<double>(N - 1), n);
            for (double& x : t) x = detail::round_even(x);
            return detail::reversed(t);
        }
        case Spacing::leading: return detail::leading(N, n, n, offset);
        case Spacing::trailing: return detail::trailing(N, n);
    }
    return {};
}

inline std::vector<double> continuous_timesteps(int64_t N, uint32_t n, Spacing spacing, int64_t offset) {
    if (spacing == Spacing::linspace) return detail::reversed(linspace(0.0, static_cast<double>(N - 1), n));
    return discrete_timesteps(N, n, spacing, offset);
}

inline std::vector<double> dpm_solver_timesteps(int64_t N, uint32_t n, Spacing spacing, int64_t offset) {
    switch (spacing) {
        case Spacing::linspace: {
            std::vector<double> t = detail::reversed(linspace(0.0, static_cast<double>(N - 1), n + 1));
            t.pop_back();
            for (double& x : t) x = detail::round_even(x);
            return t;
        }
        case Spacing::leading: return detail::leading(N, n + 1, n, offset);
        case Spacing::trailing: return detail::trailing(N, n);
    }
    return {};
}


inline void check_timestep_range(const std::string& who, const std::vector<double>& timesteps, int64_t N) {
    for (size_t i = 0; i < timesteps.size(); ++i)
        if (timesteps[i] < 0.0 || timesteps[i] > static_cast<double>(N - 1))
            throw std::invalid_argument(who + ": timestep " + std::to_string(i) + " is " +
                                        std::to_string(static_cast<int64_t>(timesteps[i])) +
                                        ", outside [0, num_train_timesteps - 1 = " + std::to_string(N - 1) +
                                        "]; lower steps_offset or use fewer inference steps");
}

}  // namespace genhost::schedulers
