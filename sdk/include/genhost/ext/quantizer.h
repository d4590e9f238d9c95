/* genhost/ext/quantizer.h: a model that turns images into maps of discrete codes and
 * back ("genhost.quantizer/1"). Since ABI 1.3.
 *
 * A VQ-VAE (van den Oord et al. 2017) encodes an image into a small grid of vectors and
 * replaces each by the nearest of K learned code vectors: the image becomes a map of code
 * indices, [c, h, w] integers in [0, K) (7x7 for a 28x28 image, c = 1 for one codebook).
 * A second model, a prior, learns the distribution of those maps: an autoregressive
 * model (ext/autoregressive.h) with K levels over data of the code-map shape. The host
 * puts the two together (docs/two-stage.md):
 *
 *   data.encode_with: vqvae    the dataset is encoded once with encode_codes, and the
 *                              prior trains on the code maps (level k = code k)
 *   sample.decode_with: vqvae  the prior's sampled code maps go through decode_codes
 *                              before grids and metrics see them
 *
 * The host checks before any work that codebook_size() equals the prior's num_levels
 * and code_shape() its sample shape.
 */
#ifndef GENHOST_EXT_QUANTIZER_H
#define GENHOST_EXT_QUANTIZER_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_QUANTIZER "genhost.quantizer/1"

typedef struct genhost_quantizer {
    uint32_t struct_size;

    /* K, the number of code vectors; codes are int64 in [0, K). Constant for the
     * instance's life.
     * required [instance-serialized] */
    int64_t (*codebook_size)(const genhost_plugin* plugin);

    /* The shape of the code map of one image, out_shape[0..2] = codebooks, height,
     * width (1, 7, 7 for a VQ-VAE with one codebook that downsamples 28x28 by 4).
     * Constant for the instance's life.
     * required [instance-serialized] */
    genhost_status (*code_shape)(const genhost_plugin* plugin, int64_t out_shape[3]);

    /* Encodes images [N, C, H, W] float32 in the data range the model was trained on
     * into `codes`, caller-owned [N, c, h, w] int64: the index of the nearest code
     * vector at each position. Deterministic: the same image gives the same codes,
     * whatever N.
     * required [instance-serialized] */
    genhost_status (*encode_codes)(genhost_plugin* plugin, const DLTensor* images, DLTensor* codes);

    /* Decodes code maps [N, c, h, w] int64 in [0, K) into images, caller-owned
     * [N, C, H, W] float32 in the data range (the decoder's mean, not a noisy sample).
     * A code outside [0, K) is an error (GENHOST_ERROR_INVALID_ARGUMENT), not clamped.
     * required [instance-serialized] */
    genhost_status (*decode_codes)(genhost_plugin* plugin, const DLTensor* codes, DLTensor* images);
} genhost_quantizer;
#define GENHOST_QUANTIZER_V1_3_LAST decode_codes  /* the last field in ABI 1.3; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_QUANTIZER_H */
