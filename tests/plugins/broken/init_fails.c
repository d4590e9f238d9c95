/* init() fails: the host must call nothing else. */
#define BROKEN_ID "org.genhost.test.init-fails"
#include "base.h"
static bool fail_init(const char* path) { (void)path; return false; }
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), fail_init, NULL, base_get_factory};
