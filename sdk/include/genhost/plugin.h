/* genhost/plugin.h: what a plugin is, and an instance of one.
 *
 * A descriptor says what a plugin is without creating it: the host lists descriptors
 * (`genhost plugins`, `genhost info ID`) and validates a pipeline's params against the
 * descriptor's schema before any work starts. An instance is one configured model,
 * scheduler or metric; everything it can do is found through get_extension.
 */
#ifndef GENHOST_PLUGIN_H
#define GENHOST_PLUGIN_H

#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    GENHOST_PLUGIN_KIND_MODEL     = 1, /* VAE, GAN, PixelCNN, diffusion denoiser, ... */
    GENHOST_PLUGIN_KIND_SCHEDULER = 2, /* a diffusion noise schedule and sampler */
    GENHOST_PLUGIN_KIND_METRIC    = 3  /* FID, Inception Score, ... */
};

/* Static description of one plugin. Owned by the library; valid, unchanged, until
 * the library is unloaded. */
typedef struct genhost_plugin_descriptor {
    uint32_t struct_size;
    uint32_t kind;            /* GENHOST_PLUGIN_KIND_* */
    const char* id;           /* required: unique, reverse-DNS, e.g. "com.example.my-vae";
                                 "org.genhost.*" is reserved for genhost's own plugins */
    const char* name;         /* required: human-readable name, e.g. "Variational autoencoder" */
    const char* version;      /* required: the plugin's own version, e.g. "1.2.0" */
    const char* vendor;       /* may be NULL */
    const char* description;  /* required: one paragraph; may be "" */
    const char* const* features; /* required: NULL-terminated list, e.g. {"vae", "conditional", NULL} */
    /* required: the parameters, as a JSON Schema object (UTF-8 text):
     *   {"type": "object", "properties": {
     *      "latent_dim": {"type": "integer", "default": 20, "minimum": 1,
     *                     "description": "size of the latent code z"}, ...}}
     * Supported keywords: type (integer, number, boolean, string, array, object),
     * default, description, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
     * enum, items, minItems, maxItems, properties, required. Every property must
     * have a default: a pipeline may omit any param. */
    const char* params_schema;
} genhost_plugin_descriptor;
#define GENHOST_PLUGIN_DESCRIPTOR_V1_0_LAST params_schema  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

/* What the host knows about the data a model will see. Borrowed for the create call. */
typedef struct genhost_data_info {
    uint32_t struct_size;
    int64_t  channels, height, width; /* one image is [channels, height, width] */
    int64_t  num_classes;             /* 0 when the data has no labels */
    float    range_min, range_max;    /* pixel values lie in [range_min, range_max]: 0..1 or -1..1 */
    int64_t  domains;                 /* since ABI 1.4: 2 when the data has two domains a and b
                                         (genhost_batch.images_b), of the same image shape;
                                         0 or 1 (or absent, from an older host): one */
} genhost_data_info;
#define GENHOST_DATA_INFO_V1_0_LAST range_max  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

typedef struct genhost_plugin genhost_plugin;
struct genhost_plugin {
    uint32_t struct_size;
    const genhost_plugin_descriptor* descriptor; /* required: the descriptor it was created from */
    void* plugin_data;                           /* the plugin's own; the host never touches it */

    /* Frees the instance and everything it owns; the pointer is invalid afterwards.
     * required [instance-serialized] */
    void (*destroy)(genhost_plugin* plugin);

    /* The extension table with this id (e.g. "genhost.trainable/1"), or NULL when the
     * instance does not have it. The table lives as long as the instance.
     * required [any-thread] */
    const void* (*get_extension)(const genhost_plugin* plugin, const char* extension_id);

    /* The message of the last failed call on this instance ("" if none). Owned by the
     * instance; valid until the next call on it.
     * required [instance-serialized] */
    const char* (*last_error)(const genhost_plugin* plugin);
};
#define GENHOST_PLUGIN_V1_0_LAST last_error  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_PLUGIN_H */
