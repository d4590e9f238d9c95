/* The params schema is not JSON. */
#define BROKEN_ID "org.genhost.test.bad-schema"
#define BROKEN_SCHEMA "{\"type\": \"object\", \"properties\": {"
#include "base.h"
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, base_get_factory};
