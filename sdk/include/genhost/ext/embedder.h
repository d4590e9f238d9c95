/* genhost/ext/embedder.h: a model that maps images to features ("genhost.embedder/1").
 *
 * Sample-quality metrics compare sets of images in a feature space: FID and KID the
 * distributions of features, precision and recall their neighbourhoods, Inception Score
 * the class probabilities. Inception-v3 is the usual space; genhost trains its own
 * (plugins/classifier, a "judge" per dataset), and any model with this extension can
 * serve. The host embeds each image set once and gives the features to every metric
 * (metric.h, update_features). Since ABI 1.2.
 */
#ifndef GENHOST_EXT_EMBEDDER_H
#define GENHOST_EXT_EMBEDDER_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_EMBEDDER "genhost.embedder/1"

typedef struct genhost_embedder {
    uint32_t struct_size;

    /* D, the size of one feature vector. Constant for the instance's life.
     * required [instance-serialized] */
    int64_t (*feature_dim)(const genhost_plugin* plugin);

    /* K, the number of classes `embed` gives probabilities for; 0 when it gives none.
     * required [instance-serialized] */
    int64_t (*num_classes)(const genhost_plugin* plugin);

    /* Embeds images [N, C, H, W] float32 in the data range the model was trained on.
     * Writes `features`, caller-owned [N, D] float32, and, when not NULL, `probabilities`,
     * caller-owned [N, K] float32 (softmax; NULL when the caller needs none or K = 0).
     * Deterministic: the same images give the same features (no dropout, BatchNorm in
     * evaluation mode), whatever N.
     * required [instance-serialized] */
    genhost_status (*embed)(genhost_plugin* plugin, const DLTensor* images, DLTensor* features,
                            DLTensor* probabilities);
} genhost_embedder;
#define GENHOST_EMBEDDER_V1_2_LAST embed  /* the last field in ABI 1.2; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_EMBEDDER_H */
