/* Its instances have a NULL required slot (last_error). */
#define BROKEN_ID "org.genhost.test.null-instance-slot"
#define BROKEN_LAST_ERROR NULL
#include "base.h"
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, base_get_factory};
