/* Built for a future ABI 2.0: the host must refuse it, naming both versions. */
#define BROKEN_ID "org.genhost.test.wrong-major"
#include "base.h"
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    {2, 0, 0}, sizeof(genhost_library_entry), NULL, NULL, base_get_factory};
