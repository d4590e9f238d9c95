/* genhost/ext/likelihood.h: a model that bounds log p(x) ("genhost.likelihood/1").
 *
 * For a VAE, with K = 1 the bound is the ELBO; with K > 1 the importance-weighted bound
 *   log p(x) >= E[log (1/K) sum_k p(x, z_k) / q(z_k | x)],  z_k ~ q(z | x)
 * (Burda et al. 2016), which tightens as K grows. The host reports both in nats and in
 * bits per dimension, and scores anomalies by the negative bound.
 */
#ifndef GENHOST_EXT_LIKELIHOOD_H
#define GENHOST_EXT_LIKELIHOOD_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_LIKELIHOOD "genhost.likelihood/1"

enum {
    /* Since ABI 1.2 (what `properties` returns). EXACT: log_likelihood is log p(x) itself,
     * not a lower bound (an autoregressive model; a VAE's ELBO is a bound). DISCRETE: p is a
     * probability mass over 8-bit (or binarized) values, so -log p / (D ln 2) is the
     * bits/dim the literature compares; without it p is a density on [0, 1]^D, and its
     * bits/dim is not on the same footing. */
    GENHOST_LIKELIHOOD_EXACT    = 1u << 0,
    GENHOST_LIKELIHOOD_DISCRETE = 1u << 1
};

/* Borrowed for the call. */
typedef struct genhost_likelihood_request {
    uint32_t struct_size;
    const DLTensor* images;  /* [N, C, H, W] float32 in the data range */
    const DLTensor* labels;  /* [N] int64, or NULL */
    uint32_t num_samples;    /* K >= 1: 1 = ELBO, more = importance-weighted bound */
    uint64_t seed;           /* for the samples z_k */
} genhost_likelihood_request;
#define GENHOST_LIKELIHOOD_REQUEST_V1_0_LAST seed  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

typedef struct genhost_likelihood {
    uint32_t struct_size;

    /* Writes a lower bound on log p(x) in nats for each image into `out` (caller-owned,
     * [N] float32), for the model's likelihood on data in [0, 1] (the data range's scaling
     * is not counted).
     * required [instance-serialized] */
    genhost_status (*log_likelihood)(genhost_plugin* plugin, const genhost_likelihood_request* request,
                                     DLTensor* out);

    /* Since ABI 1.2: GENHOST_LIKELIHOOD_* flags of what log_likelihood computes, so that
     * reports label numbers honestly. Constant for the instance's life.
     * may be NULL: a bound on a density (0) [instance-serialized] */
    uint32_t (*properties)(const genhost_plugin* plugin);
} genhost_likelihood;
#define GENHOST_LIKELIHOOD_V1_0_LAST log_likelihood  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_LIKELIHOOD_H */
