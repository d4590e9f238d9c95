/* genhost/status.h: how every call reports success or failure.
 *
 * Functions that can fail return a genhost_status: 0 is success, negative values are
 * errors. The error's text is available from the instance (genhost_plugin.last_error)
 * or, for calls made before an instance exists, in a caller-provided buffer.
 * No C++ exception ever crosses the ABI: the C++ helper (genhost/cpp/plugin.hpp)
 * catches everything at the edge and turns it into a status and a message.
 *
 * Functions that return a value instead of a status (a count, a size, a name, a sigma)
 * report failure by returning 0, NULL or NaN, with the reason in last_error; the host
 * treats such a value as an error.
 *
 * After a failed call, the instance is still valid and may be used or destroyed,
 * unless the function's comment says otherwise; outputs are unspecified.
 */
#ifndef GENHOST_STATUS_H
#define GENHOST_STATUS_H

#include <stdint.h>

typedef int32_t genhost_status;

enum {
    GENHOST_OK                     =  0,
    GENHOST_ERROR_INVALID_ARGUMENT = -1, /* bad parameter value, tensor shape or dtype */
    GENHOST_ERROR_UNSUPPORTED      = -2, /* valid request this plugin cannot serve */
    GENHOST_ERROR_STATE            = -3, /* call out of order (e.g. step before set_timesteps) */
    GENHOST_ERROR_OUT_OF_MEMORY    = -4,
    GENHOST_ERROR_NUMERIC          = -5, /* NaN or Inf where a finite value was needed */
    GENHOST_ERROR_IO               = -6,
    GENHOST_ERROR_INTERNAL         = -7  /* a bug, or an unexpected exception */
};

/* Thread rules. Every function's comment ends with one of these:
 *   [load-thread]          called on the thread that loads the library, never
 *                          concurrently with any other call into that library;
 *   [any-thread]           may be called from any thread, concurrently;
 *   [instance-serialized]  the host never makes two such calls on one instance at
 *                          the same time; different instances may run concurrently. */

#endif /* GENHOST_STATUS_H */
