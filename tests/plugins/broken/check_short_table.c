/* A scheduler whose extension table is shorter than ABI 1.0's (struct_size 40). */
#define BROKEN_ID "org.genhost.test.check-short-table"
#define BROKEN_STRUCT_SIZE 40
#include "scheduler_base.h"
