// Which training timesteps a sampling run of n steps visits, as diffusers spaces them
// (Lin et al. 2023, Table 2). All lists run from the noisiest step down.
//   linspace: evenly from num_train_timesteps - 1 to 0
//   leading:  multiples of num_train_timesteps // n, plus steps_offset
//   trailing: evenly from num_train_timesteps - 1 down, rounding each stride
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

}  // namespace genhost::schedulers
