// genhost/cpp/scheduler.hpp: the scheduler toolkit, the math every diffusion sampler
// shares, as diffusers computes it. Header-only: include it, nothing to link.
//
// genhost's own six schedulers (schedulers/<name>/) are built from exactly this and
// nothing else, so a sampler of your own is as short as ours. A DDIM-like sampler is
// its update rule and little more:
//
//   #include <genhost/cpp/scheduler.hpp>
//   using namespace genhost::schedulers;
//
//   class MyDdim : public DiscreteScheduler {   // training schedule + integer timesteps
//   public:
//       static genhost::PluginInfo info() {
//           genhost::ParamSchema schema;
//           add_schedule_params(schema, {0.0001, 0.02, "leading", 50});  // diffusers' names
//           return {GENHOST_PLUGIN_KIND_SCHEDULER, "com.example.my-ddim", "My DDIM", "1.0.0",
//                   "Example Inc.", "Deterministic DDIM.", {"diffusion"}, schema};
//       }
//       explicit MyDdim(const genhost::Context& c) : DiscreteScheduler("com.example.my-ddim", c) {}
//       void step(const genhost::SchedulerStep& args, const genhost::MutableTensorView& prev) override {
//           check_step_index(id_, args.step_index, timesteps_.size());
//           check_step_tensors(id_, args, prev);
//           const double a_t = alpha_at(args.step_index), a_prev = alpha_after(args.step_index, 1.0);
//           const VpTerms m = vp_terms(prediction_, a_t);       // x0 and eps from the output
//           for (int64_t k = 0; k < prev.numel(); ++k) { ... }
//       }
//   };
//   GENHOST_PLUGINS(MyDdim);
//
// examples/third-party-scheduler/ is that sampler, complete, built against the installed
// SDK. What is here, one header each (namespace genhost::schedulers):
//
//   noise_schedule.hpp      add_schedule_params (the params a scheduler declares to take a
//                           model's training schedule, docs/schedulers.md), betas for
//                           linear / scaled_linear / squaredcos_cap_v2 / sigmoid /
//                           trained_betas, zero-terminal-SNR rescaling, alphas_cumprod
//   timesteps.hpp           leading / trailing / linspace spacing, step-count checks
//   sigmas.hpp              sigma tables, Karras sigmas, sigma <-> timestep, x0 in sigma space
//   step_io.hpp             prediction types (epsilon, v, sample), step argument checks,
//                           the step's per-image noise
//   philox_normal.hpp       the counter-based normal noise (same on every machine)
//   discrete_scheduler.hpp  DiscreteScheduler: base of DDPM/DDIM-like samplers
//   sigma_scheduler.hpp     SigmaScheduler: base of Euler/Heun-like samplers
//
// Every function throws std::invalid_argument (or genhost::PluginError) with a message
// that names the parameter and the fix; the C++ helper turns that into a status and the
// instance's last_error. All functions are pure or touch only their arguments: call them
// from any thread.
#pragma once

#include <genhost/cpp/scheduler/noise_schedule.hpp>
#include <genhost/cpp/scheduler/philox_normal.hpp>
#include <genhost/cpp/scheduler/sigmas.hpp>
#include <genhost/cpp/scheduler/step_io.hpp>
#include <genhost/cpp/scheduler/timesteps.hpp>
#include <genhost/cpp/scheduler/discrete_scheduler.hpp>
#include <genhost/cpp/scheduler/sigma_scheduler.hpp>
