/* genhost/version.h: the ABI version and its changelog.
 *
 * Compatibility promise (docs/abi.md): a plugin built against ABI 1.x loads in any
 * genhost 1.y. Minor versions only add: new extensions, new host services, new
 * fields at the end of structs that carry a struct_size. A major version change is
 * refused at load time, with both versions and the file in the message.
 *
 * Changelog
 *   1.0  first stable ABI: library entry, plugin factory, descriptors with a JSON
 *        parameter schema, instances, host services, extensions
 *        genhost.trainable/1, genhost.generator/1, genhost.denoiser/1,
 *        genhost.scheduler/1, genhost.metric/1, genhost.latent/1,
 *        genhost.likelihood/1.
 *   1.1  per-sample seeds: genhost_sample_request.seeds and genhost_scheduler_step.seeds,
 *        so that a sample depends on its own seed and not on how the host batches
 *        samples (sample.batch_size). Plugins read them only where GENHOST_STRUCT_HAS
 *        says a 1.1 host sent them, and fall back to `seed`.
 *   1.2  what GANs and metrics in a feature space need:
 *        genhost_phase.flags with GENHOST_PHASE_NO_DATA (a generator step draws no
 *        batch) and genhost_batch.size; GENHOST_PARAMETER_REDUCE_MEAN / _SUM on
 *        buffers (how data parallelism combines them); the extension
 *        genhost.embedder/1 (features [N, D] and class probabilities [N, K] of
 *        images); genhost_metric.update_features, the slot that takes those features
 *        (may be NULL: the 1.0 image-based update keeps working); the extension
 *        genhost.autoregressive/1 (per-position logits over L levels, so the host
 *        drives pixel-by-pixel sampling and computes exact likelihoods);
 *        genhost_likelihood.properties (exact or bound, discrete or density).
 *   1.3  data parallelism and two-stage models: genhost_batch.seeds, one seed per
 *        training example from its place in the global batch, so that a model's
 *        per-example noise does not depend on how many processes share the batch;
 *        the extension genhost.quantizer/1 (images to int64 code maps and back, so a
 *        prior can be trained on a VQ-VAE's codes and its samples decoded);
 *        genhost_latent.latent_shape (may be NULL: latents that are [c, h, w] maps).
 *   1.4  two data domains (CycleGAN): genhost_data_info.domains and
 *        genhost_batch.images_b / labels_b, a batch of domain b beside domain a's;
 *        the extension genhost.translator/1 (images of one domain translated into the
 *        other); for style-based generators, the extension genhost.style/1 (the
 *        mapping z -> w, the tracked average w and the synthesis from one w per layer,
 *        apart), so the host drives style mixing, truncation sweeps and walks in W.
 */
#ifndef GENHOST_VERSION_H
#define GENHOST_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GENHOST_ABI_VERSION_MAJOR 1
#define GENHOST_ABI_VERSION_MINOR 4
#define GENHOST_ABI_VERSION_PATCH 0

typedef struct genhost_version {
    uint32_t major;  /* incompatible changes; host and plugin must agree */
    uint32_t minor;  /* additions only */
    uint32_t patch;  /* documentation and fixes; never changes layout */
} genhost_version;

#define GENHOST_ABI_VERSION_INIT \
    { GENHOST_ABI_VERSION_MAJOR, GENHOST_ABI_VERSION_MINOR, GENHOST_ABI_VERSION_PATCH }

/* True when the struct at `ptr` (which starts with uint32_t struct_size) was built with
 * `field` of `type`: the rule for reading any struct that may grow. Check a struct against
 * the LAST FIELD IT HAD IN THE VERSION YOU NEED, never against sizeof(type): a struct from
 * a newer minor version is larger, one from an older minor version stops earlier, and both
 * are valid. The *_V1_0_LAST macros name the last field each struct had in ABI 1.0; the
 * fields added in 1.1 are tested by name: GENHOST_STRUCT_HAS(request, genhost_sample_request, seeds). */
#define GENHOST_STRUCT_HAS(ptr, type, field) \
    ((ptr)->struct_size >= GENHOST_STRUCT_SIZE_THROUGH(type, field))

/* The struct_size a `type` needs to hold `field`: what GENHOST_STRUCT_HAS compares with,
 * for messages that name both sizes ("struct_size 40, smaller than ABI 1.0's 72"). */
#define GENHOST_STRUCT_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((const type*)0)->field))

/* True when a library built for ABI `v` may be used by code built with this header. */
static inline bool genhost_version_is_compatible(genhost_version v) {
    return v.major == GENHOST_ABI_VERSION_MAJOR;
}

#endif /* GENHOST_VERSION_H */
