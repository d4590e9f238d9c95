/* A scheduler whose step leaves the last element of prev_sample unwritten: genhost check must fail it. */
#define BROKEN_ID "org.genhost.test.check-skips-element"
#define BROKEN_SKIPS_ELEMENT
#include "scheduler_base.h"
