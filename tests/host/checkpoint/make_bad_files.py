#!/usr/bin/env python3
"""Writes the malformed safetensors files in bad/, one per way a file can be wrong.

Plain python3, no torch or numpy; rerunnable: `python3 tests/host/checkpoint/make_bad_files.py`.
checkpoint_reader_test.cpp opens each file and checks the message it gets; a file here that
the test does not list makes the test fail, so add the expected message there too.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bad")

F32_2 = b'"dtype":"F32","shape":[2]'  # 8 bytes of data


def header_file(header: bytes, data: bytes = b"", length: int = None) -> bytes:
    """8-byte little-endian header length, header, data; `length` overrides the true length."""
    n = len(header) if length is None else length
    return struct.pack("<Q", n) + header + data


def entry(name, body: bytes) -> bytes:
    """One tensor entry; `name` may be bytes, to write a name that is not UTF-8."""
    key = name if isinstance(name, bytes) else name.encode()
    return b'"' + key + b'":{' + body + b"}"


def obj(*entries: bytes) -> bytes:
    return b"{" + b",".join(entries) + b"}"


CASES = {
    # The first 8 bytes.
    "too_short": b"\x10\x00\x00\x00\x00",
    "header_beyond_file": header_file(b"{}", length=1000),
    "header_too_large": header_file(b"{}", length=200_000_000),
    "empty_header": header_file(b""),
    # The header as JSON.
    "not_json": header_file(b'{"w":{"dtype":"F32",'),
    "invalid_utf8": header_file(obj(entry(b"w\xff", F32_2 + b',"data_offsets":[0,8]')), bytes(8)),
    "utf8_bom": header_file(b"\xef\xbb\xbf{}"),
    "header_is_array": header_file(b"[1,2]"),
    "garbage_after_json": header_file(b"{} {}"),
    # Keys and entries.
    "duplicate_tensor": header_file(
        obj(entry("w", F32_2 + b',"data_offsets":[0,8]'), entry("w", F32_2 + b',"data_offsets":[8,16]')), bytes(16)),
    "duplicate_field": header_file(obj(entry("w", F32_2 + b',"dtype":"F64","data_offsets":[0,8]')), bytes(8)),
    "duplicate_metadata_key": header_file(b'{"__metadata__":{"epoch":"1","epoch":"2"}}'),
    "entry_not_object": header_file(b'{"w":[0,8]}'),
    "missing_field": header_file(obj(entry("w", F32_2)), bytes(8)),
    "unknown_field": header_file(obj(entry("w", F32_2 + b',"offsets":[0,8]')), bytes(8)),
    # dtype and shape.
    "unknown_dtype": header_file(obj(entry("w", b'"dtype":"F128","shape":[2],"data_offsets":[0,8]')), bytes(8)),
    "dtype_not_string": header_file(obj(entry("w", b'"dtype":32,"shape":[2],"data_offsets":[0,8]')), bytes(8)),
    "negative_dim": header_file(obj(entry("w", b'"dtype":"F32","shape":[-2],"data_offsets":[0,8]')), bytes(8)),
    "fractional_dim": header_file(obj(entry("w", b'"dtype":"F32","shape":[2.5],"data_offsets":[0,8]')), bytes(8)),
    "string_dim": header_file(obj(entry("w", b'"dtype":"F32","shape":["2"],"data_offsets":[0,8]')), bytes(8)),
    "dim_too_large": header_file(
        obj(entry("w", b'"dtype":"U8","shape":[18446744073709551615,0],"data_offsets":[0,0]'))),
    "shape_overflow": header_file(
        obj(entry("w", b'"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]')), bytes(8)),
    "size_mismatch": header_file(obj(entry("w", b'"dtype":"F32","shape":[3],"data_offsets":[0,8]')), bytes(8)),
    # data_offsets and the layout of the data.
    "offsets_one_number": header_file(obj(entry("w", F32_2 + b',"data_offsets":[8]')), bytes(8)),
    "offsets_three_numbers": header_file(obj(entry("w", F32_2 + b',"data_offsets":[0,8,16]')), bytes(16)),
    "offsets_reversed": header_file(obj(entry("w", F32_2 + b',"data_offsets":[8,0]')), bytes(8)),
    "offsets_huge": header_file(obj(entry("w", F32_2 + b',"data_offsets":[0,1e30]')), bytes(8)),
    "offsets_out_of_range": header_file(obj(entry("w", F32_2 + b',"data_offsets":[0,8]')), bytes(4)),
    # A consistent header for an exabyte of data in a tiny file: refused before allocating.
    "claims_exabyte": header_file(
        obj(entry("w", b'"dtype":"U8","shape":[1152921504606846976],"data_offsets":[0,1152921504606846976]'))),
    "offsets_overlap": header_file(
        obj(entry("a", F32_2 + b',"data_offsets":[0,8]'), entry("b", F32_2 + b',"data_offsets":[4,12]')), bytes(12)),
    "offsets_hole": header_file(
        obj(entry("a", F32_2 + b',"data_offsets":[0,8]'), entry("b", F32_2 + b',"data_offsets":[12,20]')), bytes(20)),
    "trailing_bytes": header_file(obj(entry("w", F32_2 + b',"data_offsets":[0,8]')), bytes(12)),
    # __metadata__.
    "metadata_not_object": header_file(b'{"__metadata__":"epoch 3"}'),
    "metadata_value_not_string": header_file(b'{"__metadata__":{"epoch":3}}'),
}


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".safetensors"):
            os.remove(os.path.join(OUT, old))
    for name, content in sorted(CASES.items()):
        with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
            f.write(content)
    print(f"wrote {len(CASES)} files to {OUT}")


if __name__ == "__main__":
    main()
