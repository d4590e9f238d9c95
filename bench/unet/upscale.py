"""Writes an enlarged copy of a genhost samples.npy as a PNG grid, to look at samples
closely: /usr/bin/python3 bench/unet/upscale.py runs/x/samples.npy out.png [scale] [columns]"""
import struct
import sys
import zlib

import numpy as np

x = np.load(sys.argv[1])  # [N, 1, H, W] in [-1, 1]
scale = int(sys.argv[3]) if len(sys.argv) > 3 else 4
cols = int(sys.argv[4]) if len(sys.argv) > 4 else 8
n, _, h, w = x.shape
rows = (n + cols - 1) // cols
grid = np.zeros((rows * (h + 2), cols * (w + 2)), dtype=np.float32)
for i in range(n):
    r, c = divmod(i, cols)
    grid[r * (h + 2):r * (h + 2) + h, c * (w + 2):c * (w + 2) + w] = x[i, 0]
img = (np.clip((grid + 1) / 2, 0, 1) * 255).astype(np.uint8).repeat(scale, 0).repeat(scale, 1)
raw = b"".join(b"\x00" + row.tobytes() for row in img)
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", img.shape[1], img.shape[0], 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
