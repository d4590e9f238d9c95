/* The working C scheduler that tests/plugins/broken/check_*.c each break in one way:
 * `genhost check` passes it, so each failure there is the break, not the toy. */
#define BROKEN_ID "org.genhost.test.multistep-scheduler"
#include "../broken/scheduler_base.h"
