/* genhost/ext/trainable.h: a model the host can train ("genhost.trainable/1").
 *
 * Training is host-driven. The model is its math: named parameters with gradients,
 * and one or more phases, each computing the gradients of one parameter group for a
 * batch. The host owns everything common to all models: data, optimizers, EMA,
 * checkpoints, logging and (later) averaging gradients across processes.
 *
 * One optimizer step, as the host runs it:
 *   1. zero the grad tensors of the phase's group;
 *   2. train_phase(phase, batch, losses)   -> the model adds d(loss)/d(param) into grad
 *      (a phase flagged GENHOST_PHASE_NO_DATA gets no images: a generator step);
 *   3. under data parallelism: average the gradients (and REDUCE_* buffers) over the
 *      processes, each weighted by its examples;
 *   4. optimizer update of the group's values, written in place;
 *   5. after_update(phase), if present     -> e.g. WGAN weight clipping.
 * A plain VAE has one phase ("train"); a GAN has "discriminator" and "generator",
 * scheduled by the pipeline (e.g. 5:1 for WGAN's n_critic).
 *
 * Two data domains (ABI 1.4): when the pipeline's data has domains a and b (CycleGAN's
 * unpaired translation), every phase that draws data gets a batch of each: `images` from
 * domain a and `images_b` from domain b. A model that needs them says so at create time
 * (genhost_data_info.domains); one that does not ignores images_b.
 */
#ifndef GENHOST_EXT_TRAINABLE_H
#define GENHOST_EXT_TRAINABLE_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_TRAINABLE "genhost.trainable/1"

enum {
    /* State saved in checkpoints but not trained (BatchNorm running statistics):
     * grad is NULL and no optimizer touches it. */
    GENHOST_PARAMETER_BUFFER = 1u << 0,
    /* Since ABI 1.2, on buffers that the model updates itself while training (BatchNorm
     * statistics, a VQ-VAE's EMA codebook, StyleGAN's average w): how data-parallel
     * training combines the copies that several processes hold. After every
     * train_phase, before the optimizer step and after_update, the host averages
     * REDUCE_MEAN buffers (running means and variances: every process then holds the
     * same) and adds REDUCE_SUM ones; so a REDUCE_SUM buffer holds the statistics of the
     * current call only (a batch's code counts and sums), which the model folds into
     * its state in after_update. Neither flag: each process keeps its own copy and the
     * checkpoint holds rank 0's. A 1.0 or 1.1 host ignores both. */
    GENHOST_PARAMETER_REDUCE_MEAN = 1u << 1,
    GENHOST_PARAMETER_REDUCE_SUM  = 1u << 2
};

enum {
    /* Since ABI 1.2: the phase draws no training data (a GAN's generator step samples
     * its own noise and labels). The host neither takes a batch for it nor counts it
     * towards an epoch; it calls train_phase with images and labels NULL and `size`
     * set to data.batch_size. A 1.0 or 1.1 host, which does not know the flag, still
     * passes a batch: read `size` (GENHOST_STRUCT_HAS) and ignore the images. */
    GENHOST_PHASE_NO_DATA = 1u << 0
};

/* One named tensor of the model. Owned by the instance; the struct and both tensors
 * stay at the same address, with the same shape, until the instance is destroyed. */
typedef struct genhost_parameter {
    uint32_t struct_size;
    uint32_t flags;       /* GENHOST_PARAMETER_* */
    const char* name;     /* unique within the instance, e.g. "encoder.fc1.weight" */
    const char* group;    /* the parameter group, e.g. "generator"; buffers have one too */
    DLTensor* value;      /* float32, compact; the host writes into it in place
                             (optimizer, EMA swap, checkpoint load) between calls */
    DLTensor* grad;       /* float32, same shape; NULL for buffers. The host zeroes it;
                             train_phase adds into it */
} genhost_parameter;
#define GENHOST_PARAMETER_V1_0_LAST grad  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

/* One training phase. Owned by the instance; valid until it is destroyed. */
typedef struct genhost_phase {
    uint32_t struct_size;
    const char* name;              /* e.g. "discriminator" */
    const char* group;             /* the parameter group whose gradients it computes */
    const char* const* loss_names; /* NULL-terminated; the first is the loss being
                                      minimized, the others are reported, e.g.
                                      {"loss", "recon", "kl", NULL} */
    uint32_t flags;                /* since ABI 1.2: GENHOST_PHASE_*; absent = 0 */
} genhost_phase;
#define GENHOST_PHASE_V1_0_LAST loss_names  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

/* A batch of training data. Borrowed for the call. */
typedef struct genhost_batch {
    uint32_t struct_size;
    const DLTensor* images;  /* [N, C, H, W] float32, in the data range; NULL for a
                                GENHOST_PHASE_NO_DATA phase */
    const DLTensor* labels;  /* [N] int64 in [0, num_classes); NULL when unlabelled
                                and for a GENHOST_PHASE_NO_DATA phase */
    uint64_t step;           /* the optimizer step being computed, from 0 (for warm-ups) */
    uint64_t seed;           /* seed for all randomness of this call (noise, dropout,
                                timesteps). The host derives it from the run seed, step
                                and phase, so a resumed run repeats it exactly */
    int64_t size;            /* since ABI 1.2: N, the examples this call computes with:
                                the images' N, or data.batch_size for a NO_DATA phase */
    const DLTensor* seeds;   /* since ABI 1.3: [N] uint64, example i's seed, derived from
                                the run seed, step, phase and i's place in the global
                                batch. A model that draws example i's noise from seeds[i]
                                alone computes, under data parallelism (docs/distributed.md),
                                what one process computes with the global batch. `seed`
                                then differs per process (for randomness that is not per
                                example). NULL from a 1.2 host: use `seed` */
    const DLTensor* images_b; /* since ABI 1.4: with two data domains (the pipeline's
                                data.domains, genhost_data_info.domains == 2), a batch of
                                domain b [N, C, H, W] beside `images`, which then hold
                                domain a; the two are drawn and shuffled independently
                                (unpaired, as CycleGAN trains). NULL with one domain and
                                for a GENHOST_PHASE_NO_DATA phase */
    const DLTensor* labels_b; /* since ABI 1.4: domain b's labels [N] int64, or NULL */
} genhost_batch;
#define GENHOST_BATCH_V1_0_LAST seed  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

typedef struct genhost_trainable {
    uint32_t struct_size;

    /* Number of parameters and buffers. Constant for the instance's life.
     * required [instance-serialized] */
    uint32_t (*parameter_count)(const genhost_plugin* plugin);

    /* Parameter `index`, or NULL if out of range.
     * required [instance-serialized] */
    const genhost_parameter* (*get_parameter)(const genhost_plugin* plugin, uint32_t index);

    /* Number of phases (>= 1). Constant for the instance's life.
     * required [instance-serialized] */
    uint32_t (*phase_count)(const genhost_plugin* plugin);

    /* Phase `index`, or NULL if out of range.
     * required [instance-serialized] */
    const genhost_phase* (*get_phase)(const genhost_plugin* plugin, uint32_t index);

    /* Computes the phase's losses on `batch` and adds their gradients into the grad
     * tensors of the phase's group. `losses` is a caller-owned array with one slot per
     * loss name; the plugin writes the batch mean of each.
     * required [instance-serialized] */
    genhost_status (*train_phase)(genhost_plugin* plugin, uint32_t phase,
                                  const genhost_batch* batch, float* losses);

    /* Called after the optimizer updated the phase's group (weight clipping, spectral
     * norm bookkeeping).
     * may be NULL [instance-serialized] */
    genhost_status (*after_update)(genhost_plugin* plugin, uint32_t phase);
} genhost_trainable;
#define GENHOST_TRAINABLE_V1_0_LAST after_update  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_TRAINABLE_H */
