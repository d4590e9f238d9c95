/* genhost/ext/metric.h: a sample-quality metric ("genhost.metric/1").
 *
 * The host streams real images and generated images into the metric, in batches of
 * any size, then asks for the values. FID compares the two sets; Inception Score uses
 * only the generated one.
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
} genhost_metric;
#define GENHOST_METRIC_V1_0_LAST compute  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_METRIC_H */
