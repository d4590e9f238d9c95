/* A scheduler whose table has a NULL required slot (step). */
#define BROKEN_ID "org.genhost.test.check-null-step"
#define BROKEN_NULL_STEP
#include "scheduler_base.h"
