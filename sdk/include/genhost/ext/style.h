/* genhost/ext/style.h: a style-based generator ("genhost.style/1"), since ABI 1.4.
 *
 * A StyleGAN maps noise z to an intermediate latent w (the mapping network) and feeds one
 * w per synthesis layer: L layers, coarse (low resolution) first. Handing the host the two
 * halves separately lets it drive what the model is for: style mixing (coarse layers' ws
 * from one image, fine layers' from another), truncation towards the average w, and walks
 * in W. The host computes the ws; the plugin maps and synthesises.
 *
 *   int64_t L = style->num_ws(p), D = style->w_dim(p);
 *   style->map(p, z, w);                     // z [N, z_dim] -> w [N, D]
 *   style->w_avg(p, avg);                    // [D], the average w tracked in training
 *   // ws [N, L, D]: row i's layer l = w_avg + psi (w_i - w_avg), or w_j for mixing
 *   style->synthesize(p, ws, 7, images);     // the same noise maps for every image
 */
#ifndef GENHOST_EXT_STYLE_H
#define GENHOST_EXT_STYLE_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_STYLE "genhost.style/1"

typedef struct genhost_style {
    uint32_t struct_size;

    /* Size of the noise z ~ N(0, I) that map takes. Constant for the instance's life.
     * required [instance-serialized] */
    int64_t (*z_dim)(const genhost_plugin* plugin);

    /* Size D of w. Constant for the instance's life.
     * required [instance-serialized] */
    int64_t (*w_dim)(const genhost_plugin* plugin);

    /* Number L of style inputs of the synthesis network, in order from the coarsest
     * layer (lowest resolution) to the finest. Constant for the instance's life.
     * required [instance-serialized] */
    int64_t (*num_ws)(const genhost_plugin* plugin);

    /* The mapping network: z [N, z_dim] -> w, caller-owned [N, D]. No truncation.
     * required [instance-serialized] */
    genhost_status (*map)(genhost_plugin* plugin, const DLTensor* z, DLTensor* w);

    /* The average w the model tracked while training, into caller-owned [D].
     * required [instance-serialized] */
    genhost_status (*w_avg)(genhost_plugin* plugin, DLTensor* out);

    /* The synthesis network: ws [N, L, D] -> images, caller-owned [N, C, H, W] in the data
     * range (C, H, W as genhost.generator/1's sample_shape). Every image gets the same
     * per-layer noise, drawn from `noise_seed`, so that images differ only by their ws.
     * required [instance-serialized] */
    genhost_status (*synthesize)(genhost_plugin* plugin, const DLTensor* ws, uint64_t noise_seed,
                                 DLTensor* images);
} genhost_style;
#define GENHOST_STYLE_V1_4_LAST synthesize  /* the last field in ABI 1.4; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_STYLE_H */
