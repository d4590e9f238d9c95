/* The entry's required get_factory slot is NULL. */
#define BROKEN_ID "org.genhost.test.null-get-factory"
#include "base.h"
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, NULL};
