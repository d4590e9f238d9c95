/* A scheduler whose timesteps run upwards: genhost check must fail it. */
#define BROKEN_ID "org.genhost.test.check-ascending"
#define BROKEN_ASCENDING
#include "scheduler_base.h"
