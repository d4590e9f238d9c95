/* get_factory returns NULL for the plugin factory's id. */
#define BROKEN_ID "org.genhost.test.factory-null"
#include "base.h"
static const void* no_factory(const char* id) { (void)id; (void)base_get_factory; return NULL; }
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, no_factory};
