/* A scheduler whose set_timesteps keeps the previous run's multistep history: genhost check must fail it. */
#define BROKEN_ID "org.genhost.test.check-keeps-history"
#define BROKEN_KEEPS_HISTORY
#include "scheduler_base.h"
