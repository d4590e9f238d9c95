#!/usr/bin/env python3
"""Writes the hand-made seeds of tests/fuzz/corpus: IDX files (the suite builds its IDX
files in memory, tests/host/data/test_files.hpp) and malformed pipelines, including --set
overrides after 0xFF 0xFE. The other seeds are the suite's files, copied:
  tests/host/checkpoint/{bad,fixtures}/*.safetensors -> corpus/safetensors
  tests/host/data/npy/*.npy -> corpus/npy, tests/host/image/png/*.png -> corpus/png,
  examples/*.yaml -> corpus/pipeline"""
import gzip, os, struct

here = os.path.dirname(os.path.abspath(__file__))

def write(target, name, data):
    os.makedirs(os.path.join(here, "corpus", target), exist_ok=True)
    with open(os.path.join(here, "corpus", target, name), "wb") as f:
        f.write(data)

def idx(type_code, dims, body):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">i", d) for d in dims) + bytes(body)

images = idx(0x08, [2, 3, 3], range(18))
write("idx", "images_u8.idx", images)
write("idx", "labels_u8.idx", idx(0x08, [4], [0, 1, 2, 9]))
write("idx", "images_u8.idx.gz", gzip.compress(images, mtime=0))
write("idx", "truncated.idx", images[:-5])
write("idx", "float.idx", idx(0x0D, [1, 2, 2], struct.pack(">4f", 0, 0.5, 1, 2)))
write("idx", "huge_dims.idx", idx(0x08, [0x7FFFFFFF, 0x7FFFFFFF, 2], [1, 2, 3]))
write("idx", "garbage_after_gzip.idx.gz", gzip.compress(images, mtime=0) + b"junk")

SET = b"\xff\xfe"
good = b"name: t\ndata: {dataset: shapes, batch_size: 16}\nmodel: {plugin: mean-image}\ntrain: {steps: 3}\n"
write("pipeline", "with_sets.yaml", good + SET + b"train.epochs=2" + SET + b"data.range=[0, 1]" + SET + b"seed=7")
write("pipeline", "duplicate_key.yaml", b"seed: 1\nname: a\nseed: 2\n")
write("pipeline", "alias_bomb.yaml", b"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c]\n")
write("pipeline", "recursive_alias.yaml", b"a: &a {b: *a}\n")
write("pipeline", "latin1.yaml", b"name: caf\xe9\n" + good)
write("pipeline", "nul.yaml", b"name: a\x00b\n")
write("pipeline", "huge_numbers.yaml", good + b"seed: 99999999999999999999\nthreads: 1e400\n")
write("pipeline", "escape_name.yaml", b"name: ../../x\noutput: \"a\\tb\"\n" + good[8:])
write("pipeline", "deep.yaml", b"a: " + b"[" * 70 + b"]" * 70 + b"\n")
write("pipeline", "set_index.yaml", good + b"evaluate: {metrics: [a, b]}\n" + SET + b"evaluate.metrics[1]=c" + SET +
      b"evaluate.metrics[99]=d")
write("pipeline", "set_bad.yaml", good + SET + b"=3" + SET + b"train.steps" + SET + b"name=caf\xe9")
write("pipeline", "tags.yaml", b"seed: !!int 3\nname: !custom x\n")
