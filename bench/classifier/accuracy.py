"""Test accuracy of a trained classifier (judge) checkpoint, through a PyTorch twin.

    /usr/bin/python3 bench/classifier/accuracy.py runs/judge-fashion/checkpoint.safetensors

The host's evaluate stage reports a test accuracy for embedders with classes; until it
does, and as an independent check of it, this rebuilds the plugin's network
(plugins/classifier/network.hpp) in PyTorch from the checkpoint's tensors, whose names
give the architecture (stageS.convI, features, logits), and classifies the test split of
an MNIST-style IDX folder (default: Fashion-MNIST). Pixels go in as [0, 1], which is what
the plugin feeds its network whatever the pipeline's data.range.
"""
import argparse
import gzip
import json
import pathlib
import re
import struct

import numpy as np
import torch
import torch.nn.functional as F


def load_model(path):
    """{parameter name: tensor} of the model in a genhost checkpoint (docs/checkpoints.md):
    the tensors named "model.<name>"; the optimizer's state and counters are skipped."""
    blob = pathlib.Path(path).read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop("__metadata__", None)
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        if not name.startswith("model."):
            continue
        begin, end = info["data_offsets"]
        out[name[len("model."):]] = torch.from_numpy(np.frombuffer(data[begin:end], "<f4").copy()).reshape(info["shape"])
    return out


def read_idx(path):
    raw = pathlib.Path(path).read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw[4 + 4 * dims:], np.uint8).reshape(shape)


def forward(W, x):
    convs = sorted(tuple(int(v) for v in m.groups())
                   for m in (re.fullmatch(r"stage(\d+)\.conv(\d+)\.weight", k) for k in W) if m)
    for s in sorted({s for s, _ in convs}):
        for i in sorted(i for t, i in convs if t == s):
            x = F.relu(F.conv2d(x, W[f"stage{s}.conv{i}.weight"], W[f"stage{s}.conv{i}.bias"], padding=1))
        x = F.max_pool2d(x, 2)
    features = F.relu(F.linear(x.flatten(1), W["features.weight"], W["features.bias"]))
    return F.linear(features, W["logits.weight"], W["logits.bias"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="folder with t10k-*-idx*-ubyte[.gz]")
    args = ap.parse_args()
    folder = pathlib.Path(args.data)
    find = lambda stem: next(p for p in (folder / stem, folder / (stem + ".gz")) if p.exists())
    images = read_idx(find("t10k-images-idx3-ubyte"))
    labels = torch.from_numpy(read_idx(find("t10k-labels-idx1-ubyte")).astype(np.int64))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    W = load_model(args.checkpoint)
    torch.set_num_threads(1)  # the machine is shared
    with torch.no_grad():
        predicted = torch.cat([forward(W, x[i:i + 1000]).argmax(1) for i in range(0, len(x), 1000)])
    accuracy = (predicted == labels).float().mean().item()
    print(json.dumps({"checkpoint": args.checkpoint, "test_images": len(labels), "test_accuracy": round(accuracy, 4)}))


if __name__ == "__main__":
    main()
