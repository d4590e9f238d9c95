/* A shared library that is not a genhost plugin: no genhost_entry symbol. */
#define BROKEN_ID "org.genhost.test.no-entry"
#include "base.h"
GENHOST_EXPORT const genhost_library_entry not_the_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, base_get_factory};
