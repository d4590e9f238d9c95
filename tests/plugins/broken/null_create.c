/* The factory's required create slot is NULL. */
#define BROKEN_ID "org.genhost.test.null-create"
#define BROKEN_CREATE NULL
#include "base.h"
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, base_get_factory};
