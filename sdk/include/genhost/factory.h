/* genhost/factory.h: one library, several plugins.
 *
 * The entry point (entry.h) hands out this factory for the id
 * GENHOST_PLUGIN_FACTORY_ID. It lists the library's descriptors and creates instances.
 */
#ifndef GENHOST_FACTORY_H
#define GENHOST_FACTORY_H

#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "plugin.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_PLUGIN_FACTORY_ID "genhost.plugin-factory/1"

typedef struct genhost_plugin_factory genhost_plugin_factory;
struct genhost_plugin_factory {
    uint32_t struct_size;

    /* Number of plugins in this library.
     * required [any-thread] */
    uint32_t (*plugin_count)(const genhost_plugin_factory* factory);

    /* The descriptor of plugin `index` (0 <= index < plugin_count), or NULL if out of
     * range. Owned by the library, valid until it is unloaded.
     * required [any-thread] */
    const genhost_plugin_descriptor* (*get_descriptor)(const genhost_plugin_factory* factory,
                                                      uint32_t index);

    /* Creates an instance of plugin `plugin_id`.
     *   host         borrowed; stays valid until the instance is destroyed
     *   params_json  a JSON object of every parameter in the schema, defaults filled in
     *                and already validated by the host; borrowed for the call
     *   data         what the model will see; may be NULL (schedulers, metrics,
     *                or a model used without data); borrowed for the call
     *   out_plugin   receives the instance on success; the caller owns it and frees it
     *                with (*out_plugin)->destroy
     *   error        on failure, receives a NUL-terminated message (truncated to
     *                error_capacity bytes); may be NULL when error_capacity is 0
     * Returns GENHOST_OK, or a negative status with *out_plugin set to NULL.
     * required [any-thread] */
    genhost_status (*create)(const genhost_plugin_factory* factory, const genhost_host* host,
                             const char* plugin_id, const char* params_json,
                             const genhost_data_info* data, genhost_plugin** out_plugin,
                             char* error, size_t error_capacity);
};
#define GENHOST_PLUGIN_FACTORY_V1_0_LAST create  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_FACTORY_H */
