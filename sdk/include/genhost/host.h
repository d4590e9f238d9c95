/* genhost/host.h: what the host offers a plugin.
 *
 * The host passes a genhost_host to every instance it creates. It stays valid, at the
 * same address, until the last instance created with it is destroyed. Like every
 * struct here it only grows at the end: check `struct_size` before reading a field
 * added after ABI 1.0 (none yet).
 *
 * Services beyond the fields below are found by id, like extensions:
 * get_service(host, "genhost.some-service/1") returns a service table or NULL.
 */
#ifndef GENHOST_HOST_H
#define GENHOST_HOST_H

#include <stdint.h>

#include "status.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    GENHOST_LOG_DEBUG   = 0,
    GENHOST_LOG_INFO    = 1,
    GENHOST_LOG_WARNING = 2,
    GENHOST_LOG_ERROR   = 3
};

typedef struct genhost_host genhost_host;
struct genhost_host {
    uint32_t        struct_size;  /* sizeof(genhost_host) as the host was built */
    genhost_version abi_version;  /* the ABI the host speaks */
    const char*     name;         /* "genhost"; owned by the host */
    const char*     version;      /* the host program's version, e.g. "1.0.0"; owned by the host */
    void*           host_data;    /* the host's own; plugins must not touch it */

    uint64_t seed;         /* the run's seed; per-call seeds arrive with each request */
    uint32_t num_threads;  /* busy threads the instance may use in total (>= 1),
                              counting BLAS threads; never exceed it */

    /* Writes a message to the run's log. `message` is borrowed for the call.
     * required [any-thread] */
    void (*log)(const genhost_host* host, int32_t level, const char* message);

    /* A host service table by id, or NULL when the host has no such service. The
     * table lives as long as the host struct.
     * required [any-thread] */
    const void* (*get_service)(const genhost_host* host, const char* service_id);
};
#define GENHOST_HOST_V1_0_LAST get_service  /* the last field in ABI 1.0; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_HOST_H */
