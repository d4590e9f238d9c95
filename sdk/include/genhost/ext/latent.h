/* genhost/ext/latent.h: a model with a latent space ("genhost.latent/1").
 *
 * A VAE encodes images to a posterior over latent codes and decodes codes to images;
 * a GAN only decodes. The host builds its latent-space stages on this:
 * reconstructions (encode the mean, decode it) and interpolations (slerp or lerp
 * between encoded test images, or between prior samples for models that only decode).
 */
#ifndef GENHOST_EXT_LATENT_H
#define GENHOST_EXT_LATENT_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_LATENT "genhost.latent/1"

typedef struct genhost_latent {
    uint32_t struct_size;

    /* Size D of a latent code; codes are [N, D] float32.
     * required [instance-serialized] */
    int64_t (*latent_dim)(const genhost_plugin* plugin);

    /* Encodes images [N, C, H, W] (data range) into the posterior's mean and log-variance,
     * both caller-owned [N, D]. `labels` [N] int64 for conditional models, else NULL.
     * may be NULL: the model only decodes (a GAN) [instance-serialized] */
    genhost_status (*encode)(genhost_plugin* plugin, const DLTensor* images, const DLTensor* labels,
                             DLTensor* mean, DLTensor* logvar);

    /* Decodes codes [N, D] into images, caller-owned [N, C, H, W] in the data range (the
     * decoder's mean, not a noisy sample). `labels` as for encode.
     * required [instance-serialized] */
    genhost_status (*decode)(genhost_plugin* plugin, const DLTensor* latents, const DLTensor* labels,
                             DLTensor* images);

    /* Since ABI 1.3. The spatial shape of a code, out_shape[0..2] = channels, height,
     * width with c * h * w = latent_dim: the [N, D] codes of encode and decode are then
     * [N, c, h, w] feature maps in row-major order (a convolutional VAE's latents, which a
     * U-Net can denoise: latent diffusion). Constant for the instance's life.
     * may be NULL: the code is a flat vector [instance-serialized] */
    genhost_status (*latent_shape)(const genhost_plugin* plugin, int64_t out_shape[3]);
} genhost_latent;
#define GENHOST_LATENT_V1_0_LAST decode  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_LATENT_H */
