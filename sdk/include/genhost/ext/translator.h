/* genhost/ext/translator.h: a model that translates images between two domains
 * ("genhost.translator/1"). Since ABI 1.4.
 *
 * Unpaired image-to-image translation (CycleGAN, Zhu et al. 2017) learns two maps
 * between domains a and b (sneakers and ankle boots, horses and zebras) from a data
 * section with two domains (genhost_batch.images_b). Translating a to b and back again
 * should give the input back: the host's `translate` stage shows the input, its
 * translation and that reconstruction side by side.
 */
#ifndef GENHOST_EXT_TRANSLATOR_H
#define GENHOST_EXT_TRANSLATOR_H

#include <stdint.h>

#include "../plugin.h"
#include "../tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENHOST_EXT_TRANSLATOR "genhost.translator/1"

typedef enum genhost_translate_direction {
    GENHOST_TRANSLATE_A_TO_B = 0, /* images of domain a in, images that look like b out */
    GENHOST_TRANSLATE_B_TO_A = 1
} genhost_translate_direction;

typedef struct genhost_translator {
    uint32_t struct_size;

    /* Translates images [N, C, H, W] float32 in the data range into `out`, caller-owned
     * [N, C, H, W] float32 in the data range (C, H, W as the data's: both domains share
     * one shape). `direction` is a genhost_translate_direction; another value is
     * GENHOST_ERROR_INVALID_ARGUMENT. Deterministic: the same image gives the same
     * translation whatever N. `out` may not alias `images`.
     * required [instance-serialized] */
    genhost_status (*translate)(genhost_plugin* plugin, uint32_t direction, const DLTensor* images, DLTensor* out);
} genhost_translator;
#define GENHOST_TRANSLATOR_V1_4_LAST translate  /* the last field in ABI 1.4; see GENHOST_STRUCT_HAS */

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_EXT_TRANSLATOR_H */
