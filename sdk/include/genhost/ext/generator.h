/* genhost/ext/generator.h: a model that draws samples ("genhost.generator/1").
 *
 * VAEs sample the prior and decode, GANs map noise through the generator, PixelCNN
 * samples pixel by pixel. Diffusion denoisers do not implement this: the host drives
 * their sampling loop with a scheduler (denoiser.h, scheduler.h).
 */
#ifndef GENHOST_EXT_GENERATOR_H
#define GENHOST_EXT_GENERATOR_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_GENERATOR "genhost.generator/1"

/* Borrowed for the call. */
typedef struct genhost_sample_request {
    uint32_t struct_size;
    uint64_t seed;           /* all randomness of the call derives from it */
    const DLTensor* labels;  /* [N] int64 class per sample; NULL for unconditional
                                sampling (required when num_classes > 0) */
    /* Since ABI 1.1; read only where GENHOST_STRUCT_HAS(request, genhost_sample_request,
     * seeds). [N] uint64: sample i's randomness derives from seeds[i] alone, so that it
     * is the same image however the host batches samples. NULL: use `seed`. */
    const DLTensor* seeds;
} genhost_sample_request;
#define GENHOST_SAMPLE_REQUEST_V1_0_LAST labels  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

typedef struct genhost_generator {
    uint32_t struct_size;

    /* The shape of one sample: out_shape[0..2] = channels, height, width.
     * required [instance-serialized] */
    genhost_status (*sample_shape)(const genhost_plugin* plugin, int64_t out_shape[3]);

    /* Number of classes the model is conditioned on; 0 when unconditional.
     * required [instance-serialized] */
    int64_t (*num_classes)(const genhost_plugin* plugin);

    /* Draws N samples into `out`, a caller-owned [N, C, H, W] float32 tensor, with
     * values in the data range the model was trained on.
     * required [instance-serialized] */
    genhost_status (*generate)(genhost_plugin* plugin, const genhost_sample_request* request,
                               DLTensor* out);
} genhost_generator;
#define GENHOST_GENERATOR_V1_0_LAST generate  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_GENERATOR_H */
