/* genhost/ext/denoiser.h: a diffusion model's network ("genhost.denoiser/1").
 *
 * Split as in diffusers: the denoiser predicts (noise, v or x0) for a noisy sample at
 * a timestep; a scheduler plugin owns the noise schedule and the update rule; the host
 * drives the loop:
 *     scheduler.set_timesteps(n);  x = noise * scheduler.init_noise_sigma
 *     for each step i:  out = denoiser.predict(scheduler.scale_model_input(x, i), t_i)
 *                       x   = scheduler.step(out, i, x)
 * Training uses the pipeline scheduler's schedule: the host hands its alphas_cumprod
 * to the denoiser (set_noise_schedule) before the first train_phase, so changing
 * `beta_schedule` needs no rebuild.
 */
#ifndef GENHOST_EXT_DENOISER_H
#define GENHOST_EXT_DENOISER_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_DENOISER "genhost.denoiser/1"

/* Borrowed for the call. */
typedef struct genhost_denoise_request {
    uint32_t struct_size;
    const DLTensor* sample;     /* x_t: [N, C, H, W] float32 */
    const DLTensor* timesteps;  /* [N] float32, in [0, num_train_timesteps) */
    const DLTensor* labels;     /* [N] int64; -1 means "no label" (classifier-free
                                   guidance's unconditional branch); NULL = all -1 */
} genhost_denoise_request;
#define GENHOST_DENOISE_REQUEST_V1_0_LAST labels  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

typedef struct genhost_denoiser {
    uint32_t struct_size;

    /* The shape of one sample: channels, height, width.
     * required [instance-serialized] */
    genhost_status (*sample_shape)(const genhost_plugin* plugin, int64_t out_shape[3]);

    /* Number of classes the model is conditioned on; 0 when unconditional.
     * required [instance-serialized] */
    int64_t (*num_classes)(const genhost_plugin* plugin);

    /* What predict returns: "epsilon", "v_prediction" or "sample" (diffusers' names).
     * Owned by the instance, valid until destroyed.
     * required [instance-serialized] */
    const char* (*prediction_type)(const genhost_plugin* plugin);

    /* The training noise schedule: alphas_cumprod[t] for t in [0, count), each in (0, 1]
     * except the last, which is 0 for a schedule with zero terminal SNR
     * (rescale_betas_zero_snr): x at the last timestep is pure noise. Borrowed; the
     * plugin copies it.
     * required [instance-serialized] */
    genhost_status (*set_noise_schedule)(genhost_plugin* plugin, const float* alphas_cumprod,
                                         uint32_t count);

    /* Writes the prediction for `request` into `out`, a caller-owned tensor shaped like
     * the sample.
     * required [instance-serialized] */
    genhost_status (*predict)(genhost_plugin* plugin, const genhost_denoise_request* request,
                              DLTensor* out);
} genhost_denoiser;
#define GENHOST_DENOISER_V1_0_LAST predict  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_DENOISER_H */
