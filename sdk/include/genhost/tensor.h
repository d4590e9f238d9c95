/* genhost/tensor.h: tensors cross the ABI as DLPack DLTensors.
 *
 * DLPack (dmlc/dlpack, Debian's libdlpack-dev) is the tensor exchange format of
 * PyTorch, JAX and NumPy, so genhost tensors can be handed to them later without a copy.
 *
 * Conventions, unless a function's comment says otherwise:
 *   - device kDLCPU, dtype float32 ({kDLFloat, 32, 1}); labels are int64 ({kDLInt, 64, 1});
 *   - images are NCHW: [batch, channels, height, width];
 *   - strides NULL (compact row-major); byte_offset is honoured;
 *   - an input `const DLTensor*` is borrowed for the duration of the call only:
 *     copy what you need to keep;
 *   - an output `DLTensor*` is allocated by the caller with the documented shape; the
 *     callee writes every element and keeps no pointer to it after returning.
 */
#ifndef GENHOST_TENSOR_H
#define GENHOST_TENSOR_H

#include <dlpack/dlpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Number of elements of `t` (1 for a scalar of ndim 0). [any-thread] */
static inline int64_t genhost_tensor_numel(const DLTensor* t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
    return n;
}

/* The first element, byte_offset applied. [any-thread] */
static inline void* genhost_tensor_data(const DLTensor* t) {
    return (char*)t->data + t->byte_offset;
}

/* True when `t` is a compact row-major CPU tensor of dtype (code, bits). [any-thread] */
static inline bool genhost_tensor_is_compact(const DLTensor* t, uint8_t code, uint8_t bits) {
    if (t->device.device_type != kDLCPU || t->dtype.code != code ||
        t->dtype.bits != bits || t->dtype.lanes != 1)
        return false;
    if (t->strides == NULL) return true;
    int64_t expected = 1;
    for (int i = t->ndim - 1; i >= 0; --i) {
        if (t->shape[i] != 1 && t->strides[i] != expected) return false;
        expected *= t->shape[i];
    }
    return true;
}

#endif /* GENHOST_TENSOR_H */
