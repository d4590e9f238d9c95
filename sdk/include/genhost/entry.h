/* genhost/entry.h: the one symbol a plugin library exports.
 *
 * Every plugin library exports exactly one data symbol, `genhost_entry`, of type
 * genhost_library_entry. Its first field is the ABI version, so the host can read it
 * before trusting anything else: a library whose major version differs from the host's
 * is refused with both versions and the file named, and nothing else in it is called.
 *
 * Lifecycle, all [load-thread]:
 *   1. the host loads the library and reads genhost_entry.abi_version;
 *   2. init(path), if not NULL; on false the host calls nothing more and unloads;
 *   3. get_factory(GENHOST_PLUGIN_FACTORY_ID), any number of times;
 *   4. deinit(), if not NULL, after every instance is destroyed, before unloading.
 * init and deinit are called at most once per load.
 */
#ifndef GENHOST_ENTRY_H
#define GENHOST_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "factory.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define GENHOST_EXPORT __declspec(dllexport)
#else
#define GENHOST_EXPORT __attribute__((visibility("default")))
#endif

#define GENHOST_ENTRY_SYMBOL "genhost_entry"

typedef struct genhost_library_entry {
    genhost_version abi_version; /* always first: GENHOST_ABI_VERSION_INIT */
    uint32_t struct_size;        /* sizeof(genhost_library_entry) */

    /* Prepares the library; `library_path` is the file it was loaded from (borrowed).
     * Returns false on failure. Must be fast: no heavy work before a plugin is created.
     * may be NULL [load-thread] */
    bool (*init)(const char* library_path);

    /* Releases what init acquired.
     * may be NULL [load-thread] */
    void (*deinit)(void);

    /* The factory with this id, or NULL. Owned by the library, valid until unload.
     * required [load-thread] */
    const void* (*get_factory)(const char* factory_id);
} genhost_library_entry;
#define GENHOST_LIBRARY_ENTRY_V1_0_LAST get_factory  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

/* How a plugin defines it:
 *   GENHOST_EXPORT const genhost_library_entry genhost_entry = {
 *       GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, my_get_factory};
 */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_ENTRY_H */
