#!/usr/bin/env python3
"""Writes fixtures/reference*.safetensors with a tiny writer independent of genhost's.

PyTorch 1.13 on Debian ships no `safetensors` package, so this follows the format and the
reference writer (huggingface/safetensors, src/tensor.rs `prepare`/`serialize`) by hand:
tensors sorted by dtype (in the crate's enum order, later first) then name; header
{"__metadata__":{...}, <tensors in data order>} as compact JSON, padded with spaces to a
multiple of 8; little-endian data. Plain python3; rerunnable.

reference.safetensors          the reference writer's exact layout: genhost must read it,
                               and write byte-identical output for the same content.
reference_unordered.safetensors  the same tensors as another writer might lay them out:
                               pretty JSON, no padding, metadata last, data in name order
                               (so some tensors are not aligned to their element size).
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")

# The crate's Dtype enum order; its writer puts later dtypes first.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
               "I32", "U32", "F32", "F64", "I64", "U64"]

# name -> (dtype, shape, little-endian bytes). Values are exact in their type; the C++ test
# checks the same numbers.
TENSORS = {
    "encoder.weight": ("F32", [2, 3], struct.pack("<6f", 0.0, 1.5, -2.0, 3.25, 2.0**-100, -0.0)),
    "decoder.bias": ("F64", [3], struct.pack("<3d", 0.5, -1.25, 1e-300)),
    "step": ("I64", [], struct.pack("<q", 123456789012)),
    "labels": ("I32", [4], struct.pack("<4i", -1, 0, 7, 2147483647)),
    "mask": ("BOOL", [2, 2], bytes([1, 0, 0, 1])),
    "pixels": ("U8", [5], bytes([0, 1, 128, 254, 255])),
    "half": ("F16", [2], struct.pack("<2e", 1.0, -2.0)),
    "empty": ("F32", [0, 4], b""),
}
METADATA = {"format": "pt"}


def write(path, order, metadata_first, indent, pad):
    header, offset = {}, 0
    if metadata_first:
        header["__metadata__"] = METADATA
    for name in order:
        dtype, shape, data = TENSORS[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    if not metadata_first:
        header["__metadata__"] = METADATA
    text = json.dumps(header, separators=None if indent else (",", ":"), indent=indent,
                      ensure_ascii=False).encode("utf-8")
    if pad:
        text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(TENSORS[n][2] for n in order))


def main():
    os.makedirs(OUT, exist_ok=True)
    by_reference = sorted(TENSORS, key=lambda n: (-DTYPE_ORDER.index(TENSORS[n][0]), n.encode()))
    write(os.path.join(OUT, "reference.safetensors"), by_reference, True, None, True)
    write(os.path.join(OUT, "reference_unordered.safetensors"), sorted(TENSORS), False, 1, False)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
