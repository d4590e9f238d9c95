#!/usr/bin/env python3
"""Checks that PyTorch reads genhost's checkpoints with nothing but json, struct and torch.

Run with Debian's torch: `/usr/bin/python3 tests/host/checkpoint/read_with_torch.py [FILE]`.
FILE defaults to fixtures/ours.safetensors, which checkpoint_tests asserts is byte-identical
to what genhost's writer produces; the expected values below are the ones writer_test.cpp
writes. The loader is the snippet from docs/checkpoints.md.
"""
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# safetensors dtype -> torch dtype (torch 1.13 has no unsigned types wider than 8 bits).
DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
          "U8": torch.uint8, "BOOL": torch.bool}


def load_safetensors(path):
    """Returns ({name: tensor}, metadata) for a safetensors file."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    metadata = header.pop("__metadata__", {})
    data = bytearray(blob[8 + n:])  # writable, so torch.frombuffer does not warn
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        flat = (torch.frombuffer(data, dtype=dtype, offset=begin, count=(end - begin) // torch.empty((), dtype=dtype).element_size())
                if end > begin else torch.empty(0, dtype=dtype))
        tensors[name] = flat.reshape(info["shape"]).clone()
    return tensors, metadata


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "fixtures", "ours.safetensors")
    t, meta = load_safetensors(path)
    assert meta == {"model": "vae", "genhost.version": "1.0.0", "epoch": "3", "note": 'tab\there "quoted"'}, meta
    expected = {
        "weights": torch.tensor([[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]], dtype=torch.float32),
        "bias": torch.tensor([0.5, -1.0, 1e100], dtype=torch.float64),
        "bn.num_batches_tracked": torch.tensor(-9000000000, dtype=torch.int64),
        "emb.\u03b2": torch.tensor([-7, 65536], dtype=torch.int32),
        'quote"and\\back': torch.tensor([0, 127, 255], dtype=torch.uint8),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "i16": torch.tensor([[-32768, 12345]], dtype=torch.int16),
        "flags": torch.tensor([True, False, True]),
        "h": torch.tensor([1.0, -0.5], dtype=torch.bfloat16),
        "zero": torch.zeros(0, dtype=torch.float32),
    }
    assert set(t) == set(expected), sorted(t)
    for name, want in expected.items():
        got = t[name]
        assert got.dtype == want.dtype and got.shape == want.shape, (name, got.dtype, got.shape)
        assert torch.equal(got, want), (name, got, want)
    print(f"torch {torch.__version__} read {len(t)} tensors from {path}: all values match")


if __name__ == "__main__":
    main()
