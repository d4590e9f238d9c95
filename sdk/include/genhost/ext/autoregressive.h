/* genhost/ext/autoregressive.h: a model of p(x) = prod_i p(x_i | x_<i) over discrete
 * values ("genhost.autoregressive/1"). Since ABI 1.2.
 *
 * PixelCNN and its relatives (and a prior over a VQ-VAE's codes) give, for every position
 * of an image, a distribution over L levels that depends only on the positions before it
 * in raster order (rows top to bottom, columns left to right, channels in order within a
 * pixel). The host owns everything around that: the pixel-by-pixel sampling loop (progress,
 * temperature, per-image seeds, labels), completion of partly known images, and the exact
 * log-likelihood sum_i log softmax(logits_i)[x_i] in nats and bits/dim.
 *
 * Values are levels, int64 in [0, L): for 8-bit images level k is the pixel k / (L - 1)
 * of the [0, 1] range (the host converts to and from the data range); for codes it is
 * the code index.
 */
#ifndef GENHOST_EXT_AUTOREGRESSIVE_H
#define GENHOST_EXT_AUTOREGRESSIVE_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_AUTOREGRESSIVE "genhost.autoregressive/1"

typedef struct genhost_autoregressive {
    uint32_t struct_size;

    /* L, the number of levels each value takes (256 for 8-bit pixels, 2 for binarized
     * images, K for a codebook). Constant for the instance's life.
     * required [instance-serialized] */
    int64_t (*num_levels)(const genhost_plugin* plugin);

    /* The shape of one sample, out_shape[0..2] = channels, height, width.
     * required [instance-serialized] */
    genhost_status (*sample_shape)(const genhost_plugin* plugin, int64_t out_shape[3]);

    /* Number of classes the model is conditioned on; 0 when unconditional.
     * required [instance-serialized] */
    int64_t (*num_classes)(const genhost_plugin* plugin);

    /* Unnormalized log-probabilities of every position: `x` [N, C, H, W] int64 levels,
     * `labels` [N] int64 or NULL (unconditional), `out` caller-owned [N, L, C, H, W]
     * float32. out[n, :, c, y, x] may depend only on positions before (c, y, x) in raster
     * order: never on x[n, c, y, x] itself or anything after it (causality; tests check
     * it by gradients).
     * required [instance-serialized] */
    genhost_status (*logits)(genhost_plugin* plugin, const DLTensor* x, const DLTensor* labels, DLTensor* out);

    /* The logits of one position only, `out` caller-owned [N, L], for the same `x` and
     * `labels` as a full call would see: what sampling needs at each step. A plugin may
     * cache work between calls of one sampling run (Ramachandran et al. 2017): the host
     * calls positions in raster order from 0 after `x` was reset, and changes `x` only at
     * the position just sampled. `position` counts in raster order:
     * position = (y * W + x) * C + c.
     * may be NULL: the host calls `logits` and reads the position [instance-serialized] */
    genhost_status (*logits_at)(genhost_plugin* plugin, const DLTensor* x, const DLTensor* labels,
                                int64_t position, DLTensor* out);
} genhost_autoregressive;
#define GENHOST_AUTOREGRESSIVE_V1_2_LAST logits_at  /* the last field in ABI 1.2; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_AUTOREGRESSIVE_H */
