#!/usr/bin/env python3
"""Writes the small .npy fixtures in npy/ with NumPy's own writer, so the C++ reader is
tested against the real format. Rerun: /usr/bin/python3 tests/host/data/make_npy_fixtures.py
The values follow formulas that npy_test.cpp recomputes."""
import os
import numpy as np

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")
os.makedirs(here, exist_ok=True)


def save(name, array, version=None):
    path = os.path.join(here, name)
    if version is None:
        np.save(path, array)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)


# good inputs
save("images_u8_nhw.npy", (np.arange(4 * 3 * 5) * 3 % 256).astype(np.uint8).reshape(4, 3, 5))
save("images_f4_nchw.npy", (np.arange(4 * 3 * 2 * 2) / 47.0).astype(np.float32).reshape(4, 3, 2, 2))
save("images_f8_nhw.npy", (np.arange(4 * 3 * 5) / 59.0).reshape(4, 3, 5))
save("images_u8_v2.npy", (np.arange(4 * 3 * 5) * 3 % 256).astype(np.uint8).reshape(4, 3, 5), version=(2, 0))
save("labels_i8.npy", np.array([0, 2, 1, 2], dtype=np.int64))
save("labels_i4.npy", np.array([0, 2, 1, 2], dtype=np.int32))
save("labels_u1.npy", np.array([0, 2, 1, 2], dtype=np.uint8))

# malformed or unsupported inputs
save("fortran.npy", np.asfortranarray(np.zeros((4, 3, 5), dtype=np.float32)))
save("big_endian.npy", np.zeros((4, 3, 5), dtype=">f4"))
save("int16.npy", np.zeros((4, 3, 5), dtype=np.int16))
save("structured.npy", np.zeros(4, dtype=[("a", "<f4"), ("b", "<i4")]))
save("out_of_range.npy", np.full((4, 3, 5), 2.0, dtype=np.float32))
save("labels_short.npy", np.array([0, 1, 2], dtype=np.int64))
save("labels_negative.npy", np.array([0, -1, 1, 2], dtype=np.int64))
save("labels_f4.npy", np.array([0, 1, 1, 2], dtype=np.float32))
save("vector.npy", np.zeros(7, dtype=np.uint8))
