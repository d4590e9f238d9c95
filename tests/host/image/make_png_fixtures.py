#!/usr/bin/env python3
"""Writes tiny PNG files in png/ with an encoder written here from the PNG spec (zlib +
struct), independent of libpng, so the reader is tested against a second implementation.
Rerun: /usr/bin/python3 tests/host/image/make_png_fixtures.py
Pixel formulas (x column, y row, 5x3 images) are recomputed by png_test.cpp:
  gray   (x*40 + y*70) % 256          16-bit: gray * 257 + x
  rgb    (r, g, b) = (x*50, y*100, 255 - x*50)
  palette index (x + y) % 4 into [(0,0,0), (255,0,0), (0,255,0), (0,0,255)]"""
import os
import struct
import zlib

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "png")
os.makedirs(here, exist_ok=True)
W, H = 5, 3


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(depth, colour_type, rows, extra=b""):
    """rows: list of bytes per row (already packed), filter type 0 each."""
    ihdr = struct.pack(">IIBBBBB", W, H, depth, colour_type, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def gray(x, y):
    return (x * 40 + y * 70) % 256


def rgb(x, y):
    return (x * 50, y * 100, 255 - x * 50)


def write(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


gray8 = png(8, 0, [bytes(gray(x, y) for x in range(W)) for y in range(H)])
write("gray8.png", gray8)
write("gray16.png", png(16, 0, [b"".join(struct.pack(">H", gray(x, y) * 257 + x) for x in range(W))
                               for y in range(H)]))
write("rgb8.png", png(8, 2, [bytes(c for x in range(W) for c in rgb(x, y)) for y in range(H)]))
write("rgba8.png", png(8, 6, [bytes(c for x in range(W) for c in rgb(x, y) + (x * 60,))
                              for y in range(H)]))
write("gray_alpha8.png", png(8, 4, [bytes(c for x in range(W) for c in (gray(x, y), 200))
                                    for y in range(H)]))
palette = chunk(b"PLTE", bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]))
trns = chunk(b"tRNS", bytes([0, 255, 255, 255]))


def pack2(values):  # 2-bit indices, 4 per byte, first pixel in the high bits
    values = list(values)
    values += [0] * (-len(values) % 4)
    return bytes(values[i] << 6 | values[i + 1] << 4 | values[i + 2] << 2 | values[i + 3]
                 for i in range(0, len(values), 4))


write("palette2.png", png(2, 3, [pack2((x + y) % 4 for x in range(W)) for y in range(H)],
                          extra=palette + trns))
write("gray2.png", png(2, 0, [pack2((x + y) % 4 for x in range(W)) for y in range(H)]))



def adam7(pixel):
    """Gray 8-bit rows of the seven Adam7 passes; empty passes have no rows at all."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        xs, ys = range(x0, W, dx), range(y0, H, dy)
        if len(xs) and len(ys):
            raw += b"".join(b"\x00" + bytes(pixel(x, y) for x in xs) for y in ys)
    ihdr = struct.pack(">IIBBBBB", W, H, 8, 0, 0, 0, 1)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) +
            chunk(b"IEND", b""))


write("gray8_interlaced.png", adam7(gray))

# malformed
bad_crc = bytearray(gray8)
bad_crc[8 + 8 + 13] ^= 0xFF  # the first byte of IHDR's CRC
write("bad_crc.png", bytes(bad_crc))
corrupt = bytearray(gray8)
idat = corrupt.find(b"IDAT")
corrupt[idat + 6] ^= 0xFF  # a byte of the deflate stream: zlib fails before the CRC is seen
write("corrupt_idat.png", bytes(corrupt))
write("truncated.png", gray8[: len(gray8) - 20])
write("not_png.png", b"GIF89a" + bytes(40))
