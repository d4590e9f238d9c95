/* create reports success but hands back no instance. */
#define BROKEN_ID "org.genhost.test.create-null"
#define BROKEN_CREATE create_nothing
#include <genhost/genhost.h>
static genhost_status create_nothing(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                                     const char* params, const genhost_data_info* data, genhost_plugin** out,
                                     char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)params; (void)data; (void)error; (void)capacity;
    *out = NULL;
    return GENHOST_OK;
}
#include "base.h"
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, base_get_factory};
