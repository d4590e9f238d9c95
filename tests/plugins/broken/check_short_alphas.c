/* A scheduler whose get_alphas_cumprod writes one entry fewer than num_train_timesteps: genhost check must fail it. */
#define BROKEN_ID "org.genhost.test.check-short-alphas"
#define BROKEN_SHORT_ALPHAS
#include "scheduler_base.h"
