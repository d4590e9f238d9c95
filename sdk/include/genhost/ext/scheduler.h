/* genhost/ext/scheduler.h: a diffusion noise schedule and sampler ("genhost.scheduler/1").
 *
 * Parameter names and meanings follow diffusers (num_train_timesteps, beta_schedule,
 * prediction_type, timestep_spacing, ...), so its documentation applies.
 *
 * A scheduler is stateful per sampling run: set_timesteps starts a run and resets all
 * state (a multistep solver's history never leaks from one run into the next). A
 * sampling run, driven by the host:
 *     set_timesteps(n)
 *     x = noise * init_noise_sigma()
 *     for i in [0, timestep_count()):
 *         x_in = scale_model_input(x, i)            (identity when the slot is NULL)
 *         out  = denoiser.predict(x_in, timesteps[i])
 *         x    = step(out, i, x)
 * A second-order solver may list a timestep twice (Heun): the loop stays the same.
 */
#ifndef GENHOST_EXT_SCHEDULER_H
#define GENHOST_EXT_SCHEDULER_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_SCHEDULER "genhost.scheduler/1"

/* Borrowed for the call. */
typedef struct genhost_scheduler_step {
    uint32_t struct_size;
    uint32_t step_index;           /* which entry of the timesteps list, from 0 */
    const DLTensor* model_output;  /* the denoiser's prediction, shaped like sample */
    const DLTensor* sample;        /* x at this step: [N, C, H, W] float32 */
    uint64_t seed;                 /* noise for stochastic steps (DDPM, eta > 0, ancestral) */
    /* Since ABI 1.1; read only where GENHOST_STRUCT_HAS(args, genhost_scheduler_step,
     * seeds). [N] uint64: sample i's noise derives from seeds[i] alone, so that it does not
     * depend on how the host batches samples. NULL: use `seed`. */
    const DLTensor* seeds;
} genhost_scheduler_step;
#define GENHOST_SCHEDULER_STEP_V1_0_LAST seed  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

typedef struct genhost_scheduler {
    uint32_t struct_size;

    /* Number of timesteps the training schedule has (e.g. 1000).
     * required [instance-serialized] */
    uint32_t (*num_train_timesteps)(const genhost_plugin* plugin);

    /* Writes alphas_cumprod[t] for t in [0, count) into `out` (caller-owned), every
     * entry: each in (0, 1], except that the last may be 0 (zero terminal SNR, Lin et al.
     * 2023). count must equal num_train_timesteps.
     * required [instance-serialized] */
    genhost_status (*get_alphas_cumprod)(const genhost_plugin* plugin, float* out, uint32_t count);

    /* Starts a sampling run of `num_inference_steps` and resets all per-run state.
     * required [instance-serialized] */
    genhost_status (*set_timesteps)(genhost_plugin* plugin, uint32_t num_inference_steps);

    /* Length of the current run's timestep list (0 before set_timesteps).
     * required [instance-serialized] */
    uint32_t (*timestep_count)(const genhost_plugin* plugin);

    /* Writes the current run's timesteps (the values passed to the model) into `out`
     * (caller-owned, `count` == timestep_count).
     * required [instance-serialized] */
    genhost_status (*get_timesteps)(const genhost_plugin* plugin, float* out, uint32_t count);

    /* The standard deviation of the initial noise (1 for DDPM/DDIM, sigma_max for
     * Karras-style samplers).
     * required [instance-serialized] */
    float (*init_noise_sigma)(const genhost_plugin* plugin);

    /* Writes the model input for step `step_index` into `out` (shaped like sample;
     * may alias sample for an in-place update).
     * may be NULL: the input is the sample unchanged [instance-serialized] */
    genhost_status (*scale_model_input)(genhost_plugin* plugin, uint32_t step_index,
                                        const DLTensor* sample, DLTensor* out);

    /* One update: writes the sample of the next step into `prev_sample`
     * (caller-owned, shaped like sample; must not alias the inputs).
     * required [instance-serialized] */
    genhost_status (*step)(genhost_plugin* plugin, const genhost_scheduler_step* args,
                           DLTensor* prev_sample);
} genhost_scheduler;
#define GENHOST_SCHEDULER_V1_0_LAST step  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_SCHEDULER_H */
