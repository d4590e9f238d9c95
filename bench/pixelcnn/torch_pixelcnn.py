"""The example's PixelCNN (examples/pixelcnn-fashion.yaml) in plain PyTorch, for speed and
quality side by side with genhost. Same network: 7x7 mask-A conv to 64 channels, 7 x
(ReLU, masked-B 3x3 64->64), ReLU, 1x1 64->64, ReLU, 1x1 64->256; a 256-way softmax per
pixel; Adam 1e-3, batch 32, input level / 255.

  /usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --train-steps 60 --threads 1
  /usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --sample 16 --threads 1
  /usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --train-steps 300 --eval 1000   # bits/dim at a budget
  # the same initial weights on both sides: write them as a genhost checkpoint (names and
  # metadata from any checkpoint of the example), train genhost from it (model.checkpoint)
  /usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --seed 0 --write-init init.safetensors --like runs/x/checkpoint.safetensors
  # or start PyTorch from genhost's initial weights (a checkpoint after one step at lr 0)
  /usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --seed 0 --read-init runs/x/checkpoint.safetensors --train-steps 300 --eval 1000

Prints one JSON line per measurement. Sampling is the plain loop: 784 forward passes of
the whole image, one per pixel, as a PyTorch user would write it.
"""
import argparse
import gzip
import json
import math
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


class MaskedConv(nn.Conv2d):
    def __init__(self, kind, cin, cout, k):
        super().__init__(cin, cout, k, padding=k // 2)
        m = torch.ones_like(self.weight)
        c = k // 2
        m[:, :, c, c + (kind == "B"):] = 0
        m[:, :, c + 1:] = 0
        self.register_buffer("mask", m)

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class PixelCNN(nn.Module):
    def __init__(self, channels=64, layers=7, out_hidden=64, levels=256):
        super().__init__()
        self.levels = levels
        self.input = MaskedConv("A", 1, channels, 7)
        self.layers = nn.ModuleList(MaskedConv("B", channels, channels, 3) for _ in range(layers))
        self.out0 = nn.Conv2d(channels, out_hidden, 1)
        self.out1 = nn.Conv2d(out_hidden, levels, 1)

    def forward(self, x):  # x [N, 1, H, W] in [0, 1] -> logits [N, L, 1, H, W]
        h = self.input(x)
        for layer in self.layers:
            h = layer(F.relu(h))
        out = self.out1(F.relu(self.out0(F.relu(h))))
        return out.reshape(x.shape[0], self.levels, 1, x.shape[2], x.shape[3])


def load(split):
    name = "train" if split == "train" else "t10k"
    with gzip.open(f"{DATA}/{name}-images-idx3-ubyte.gz") as f:
        _, n, h, w = struct.unpack(">IIII", f.read(16))
        x = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(n, 1, h, w)
    return x.long()  # levels 0..255


def train(model, steps, batch, seed=0):
    data = load("train")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(data.shape[0], generator=g)
    start = time.perf_counter()
    cpu0 = time.process_time()
    loss = None
    for step in range(steps):
        idx = perm[(step * batch) % data.shape[0]:][:batch]
        levels = data[idx]
        logits = model(levels.float() / 255.0)
        loss = F.cross_entropy(logits, levels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    wall = time.perf_counter() - start
    return {"what": "train", "framework": "torch", "threads": torch.get_num_threads(), "steps": steps, "batch": batch,
            "images_per_s": steps * batch / wall, "cpu_s": time.process_time() - cpu0, "wall_s": wall,
            "last_bits_per_dim": loss.item() / math.log(2)}


@torch.no_grad()
def sample(model, n, passes=784, seed=0):
    """The plain loop; with passes < 784 it stops early and scales the time to 784 (every
    pass is the same whole-image forward, so the time per pass does not change)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.zeros(n, 1, 28, 28, dtype=torch.long)
    start = time.perf_counter()
    for p in range(passes):
        y, c = divmod(p, 28)
        logits = model(x.float() / 255.0)[:, :, 0, y, c]
        x[:, 0, y, c] = torch.multinomial(F.softmax(logits, dim=1), 1, generator=g)[:, 0]
    wall = time.perf_counter() - start
    return {"what": "sample", "framework": "torch", "threads": torch.get_num_threads(), "images": n,
            "forward_passes_timed": passes, "seconds_for_784": wall * 784 / passes}


@torch.no_grad()
def evaluate(model, count):
    x = load("test")[:count]
    total = 0.0
    for i in range(0, count, 100):
        levels = x[i:i + 100]
        total += F.cross_entropy(model(levels.float() / 255.0), levels, reduction="sum").item()
    nats = total / count
    return {"what": "evaluate", "framework": "torch", "images": count, "nll_nats": nats,
            "bits_per_dim": nats / (784 * math.log(2))}


def genhost_names(model):
    """genhost's parameter names for this network (plugins/pixelcnn)."""
    names = {"input.weight": "model.input.weight", "input.bias": "model.input.bias",
             "out0.weight": "model.output.0.weight", "out0.bias": "model.output.0.bias",
             "out1.weight": "model.output.1.weight", "out1.bias": "model.output.1.bias"}
    for i in range(len(model.layers)):
        for t in ("weight", "bias"):
            names[f"layers.{i}.{t}"] = f"model.layers.{i}.conv.{t}"
    return names


def write_init(model, path, like):
    """Writes the model's weights as a safetensors checkpoint genhost loads as
    `model.checkpoint`, with the metadata (plugin, params, data) of the checkpoint `like`."""
    with open(like, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        meta = json.loads(f.read(n))["__metadata__"]
    header, blobs, offset = {"__metadata__": meta}, [], 0
    for name, target in genhost_names(model).items():
        blob = dict(model.named_parameters())[name].detach().float().contiguous().numpy().tobytes()
        header[target] = {"dtype": "F32", "shape": list(dict(model.named_parameters())[name].shape),
                          "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_init(model, path):
    """Loads a genhost checkpoint's weights (the other direction of write_init)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header, blob = json.loads(f.read(n)), f.read()
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, target in genhost_names(model).items():
            begin, end = header[target]["data_offsets"]
            values = torch.frombuffer(bytearray(blob[begin:end]), dtype=torch.float32)
            params[name].copy_(values.reshape(params[name].shape))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train-steps", type=int, default=0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--sample", type=int, default=0, help="images to sample by the 784-pass loop")
    ap.add_argument("--passes", type=int, default=784, help="time this many of the 784 passes and scale")
    ap.add_argument("--eval", type=int, default=0, help="test images to score after training")
    ap.add_argument("--seed", type=int, default=0, help="initial weights and batch order")
    ap.add_argument("--write-init", help="write the initial weights as a genhost checkpoint here")
    ap.add_argument("--read-init", help="start from a genhost checkpoint's weights")
    ap.add_argument("--like", help="a genhost checkpoint of the same network, for --write-init's metadata")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = PixelCNN()
    if a.read_init:
        read_init(model, a.read_init)
    if a.write_init:
        write_init(model, a.write_init, a.like)
    if a.train_steps:
        print(json.dumps(train(model, a.train_steps, a.batch, a.seed)), flush=True)
    if a.eval:
        print(json.dumps(evaluate(model, a.eval)), flush=True)
    if a.sample:
        print(json.dumps(sample(model, a.sample, a.passes)), flush=True)


if __name__ == "__main__":
    main()
