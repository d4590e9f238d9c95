/* genhost/ext/metric.h: a sample-quality metric ("genhost.metric/1").
 *
 * The host streams real images and generated images into the metric, in batches of
 * any size, then asks for the values. FID compares the two sets; Inception Score uses
 * only the generated one.
 *
 * Two ways in. A metric over pixels implements `update` (ABI 1.0). A metric in a
 * feature space (FID, KID, precision/recall) implements `update_features` (ABI 1.2):
 * the host runs the pipeline's feature network (a model with genhost.embedder/1, see
 * embedder.h) once over each image set and hands every metric the same features, so
 * five metrics cost one pass of the network, and every score is in the same space.
 * When a metric has update_features, the host calls it and never `update`.
 */
#ifndef GENHOST_EXT_METRIC_H
#define GENHOST_EXT_METRIC_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_METRIC "genhost.metric/1"

enum {
    GENHOST_METRIC_REAL      = 0,  /* images from the dataset */
    GENHOST_METRIC_GENERATED = 1   /* images from the model */
};

typedef struct genhost_metric {
    uint32_t struct_size;

    /* Number of values compute() writes, e.g. 2 for Inception Score (mean, std).
     * required [instance-serialized] */
    uint32_t (*value_count)(const genhost_plugin* plugin);

    /* The name of value `index`, e.g. "fid"; NULL if out of range. Owned by the
     * instance, valid until destroyed.
     * required [instance-serialized] */
    const char* (*value_name)(const genhost_plugin* plugin, uint32_t index);

    /* Forgets every image seen so far.
     * required [instance-serialized] */
    genhost_status (*reset)(genhost_plugin* plugin);

    /* Adds a batch of images, [N, C, H, W] float32 in [0, 1], to the real or
     * generated set (GENHOST_METRIC_*).
     * required [instance-serialized] */
    genhost_status (*update)(genhost_plugin* plugin, uint32_t set, const DLTensor* images);

    /* Writes value_count values into `values` (caller-owned).
     * required [instance-serialized] */
    genhost_status (*compute)(genhost_plugin* plugin, double* values);

    /* Since ABI 1.2. Adds a batch of N images of the real or generated set
     * (GENHOST_METRIC_*) as the feature network sees them: `features` [N, D] float32 and
     * `probabilities` [N, K] float32 (each row sums to 1), or NULL when the network has
     * no classes. Both borrowed for the call. A metric that needs what is NULL fails
     * with GENHOST_ERROR_UNSUPPORTED and says so.
     * may be NULL: the metric works on pixels through `update` [instance-serialized] */
    genhost_status (*update_features)(genhost_plugin* plugin, uint32_t set, const DLTensor* features,
                                      const DLTensor* probabilities);
} genhost_metric;
#define GENHOST_METRIC_V1_0_LAST compute  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_METRIC_H */
