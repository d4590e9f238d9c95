"""Logits of small PixelCNNs computed by PyTorch twins, for forward_test.cpp.

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/pixelcnn/make_fixtures.py
It rewrites fixtures/forward.json: for each case the network's config, the input levels,
labels, and the expected logits [N, L, C, H, W]. The weights are not stored: parameter
number `index` (in sorted name order) holds sin(0.37 k + 1.1 index) * scale at element k,
scale 1/sqrt(fan_in) for kernels and tables, 0.1 for biases (weight_value in the test).

The twins are written independently of the C++: masks as in the paper, the gated stacks
by padding and cropping (F.pad) rather than the plugin's symmetric padding and slicing.
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F


def weight(shape, index):
    n = math.prod(shape)
    k = torch.arange(n, dtype=torch.float64)
    scale = 0.1 if len(shape) == 1 else 1.0 / math.sqrt(math.prod(shape[1:]))
    return (torch.sin(0.37 * k + 1.1 * index) * scale).reshape(shape).float()


def make_weights(shapes):
    return {name: weight(shapes[name], i) for i, name in enumerate(sorted(shapes))}


# ---- PixelCNN ------------------------------------------------------------------------

def mask(kind, out, inp, k, groups, interleaved_out=False):
    m = torch.zeros(out, inp, k, k)
    c = k // 2
    m[:, :, :c, :] = 1
    m[:, :, c, :c] = 1
    for o in range(out):
        go = o % groups if interleaved_out else o * groups // out
        for i in range(inp):
            gi = i * groups // inp
            if (gi < go) if kind == "A" else (gi <= go):
                m[o, i, c, c] = 1
    return m


def pixelcnn_shapes(cfg):
    C, h, L = cfg["image_channels"], cfg["channels"], cfg["levels"]
    s = {}

    def conv(name, i, o, k):
        s[name + ".weight"] = (o, i, k, k)
        s[name + ".bias"] = (o,)

    conv("input", C, h, 7)
    for i in range(cfg["layers"]):
        if cfg["residual"]:
            conv(f"layers.{i}.reduce", h, h // 2, 1)
            conv(f"layers.{i}.conv", h // 2, h // 2, 3)
            conv(f"layers.{i}.expand", h // 2, h, 1)
        else:
            conv(f"layers.{i}.conv", h, h, 3)
    conv("output.0", h, cfg["output_channels"], 1)
    conv("output.1", cfg["output_channels"], L * C, 1)
    return s


def pixelcnn(cfg, W, x):
    C = cfg["image_channels"]

    def mconv(name, h, kind, interleaved=False):
        w = W[name + ".weight"]
        m = mask(kind, w.shape[0], w.shape[1], w.shape[2], C, interleaved)
        return F.conv2d(h, w * m, W[name + ".bias"], padding=w.shape[2] // 2)

    h = mconv("input", x, "A")
    for i in range(cfg["layers"]):
        if cfg["residual"]:
            r = mconv(f"layers.{i}.reduce", F.relu(h), "B")
            r = mconv(f"layers.{i}.conv", F.relu(r), "B")
            h = h + mconv(f"layers.{i}.expand", F.relu(r), "B")
        else:
            h = mconv(f"layers.{i}.conv", F.relu(h), "B")
    out = mconv("output.1", F.relu(mconv("output.0", F.relu(h), "B")), "B", interleaved=True)
    n, _, H, Wd = x.shape
    return out.reshape(n, cfg["levels"], C, H, Wd)


# ---- Gated PixelCNN ------------------------------------------------------------------

def gated_shapes(cfg):
    p, L = cfg["channels"], cfg["levels"]
    s = {}
    for i in range(cfg["layers"]):
        first = i == 0
        k = cfg["first_kernel"] if first else cfg["kernel"]
        r = k // 2
        cin = 1 if first else p
        s[f"layers.{i}.v.weight"] = (2 * p, cin, r if first else r + 1, k)
        s[f"layers.{i}.v.bias"] = (2 * p,)
        s[f"layers.{i}.h.weight"] = (2 * p, cin, 1, r if first else r + 1)
        s[f"layers.{i}.h.bias"] = (2 * p,)
        s[f"layers.{i}.link.weight"] = (2 * p, 2 * p, 1, 1)
        s[f"layers.{i}.link.bias"] = (2 * p,)
        s[f"layers.{i}.skip.weight"] = (p, p, 1, 1)
        s[f"layers.{i}.skip.bias"] = (p,)
        if not first:
            s[f"layers.{i}.residual.weight"] = (p, p, 1, 1)
            s[f"layers.{i}.residual.bias"] = (p,)
        if cfg["classes"]:
            s[f"layers.{i}.class_v"] = (cfg["classes"], 2 * p)
            s[f"layers.{i}.class_h"] = (cfg["classes"], 2 * p)
    s["output.0.weight"] = (cfg["output_channels"], p, 1, 1)
    s["output.0.bias"] = (cfg["output_channels"],)
    s["output.1.weight"] = (L, cfg["output_channels"], 1, 1)
    s["output.1.bias"] = (L,)
    return s


def gate(x):
    f, g = x.chunk(2, dim=1)
    return torch.tanh(f) * torch.sigmoid(g)


def gated(cfg, W, x, labels):
    H, Wd = x.shape[2], x.shape[3]
    v = h = x
    skip = 0
    for i in range(cfg["layers"]):
        first = i == 0
        k = cfg["first_kernel"] if first else cfg["kernel"]
        r = k // 2
        n = f"layers.{i}"
        # Vertical: rows above (and, after the first layer, its own row), k wide.
        vc = F.conv2d(F.pad(v, (r, r, r, 0)), W[n + ".v.weight"], W[n + ".v.bias"])[:, :, :H, :]
        # Horizontal: its row, to the left (and, after the first layer, the centre).
        hc = F.conv2d(F.pad(h, (r, 0, 0, 0)), W[n + ".h.weight"], W[n + ".h.bias"])[:, :, :, :Wd]
        hc = hc + F.conv2d(vc, W[n + ".link.weight"], W[n + ".link.bias"])
        if cfg["classes"]:
            vc = vc + W[n + ".class_v"][labels][:, :, None, None]
            hc = hc + W[n + ".class_h"][labels][:, :, None, None]
        v = gate(vc)
        hg = gate(hc)
        skip = skip + F.conv2d(hg, W[n + ".skip.weight"], W[n + ".skip.bias"])
        h = h + F.conv2d(hg, W[n + ".residual.weight"], W[n + ".residual.bias"]) if not first else hg
    out = F.conv2d(F.relu(skip), W["output.0.weight"], W["output.0.bias"])
    out = F.conv2d(F.relu(out), W["output.1.weight"], W["output.1.bias"])
    return out.reshape(x.shape[0], cfg["levels"], 1, H, Wd)


CASES = [
    {"name": "plain", "kind": "pixelcnn", "image_channels": 1, "size": 6, "levels": 5, "channels": 6, "layers": 2,
     "residual": False, "output_channels": 7},
    {"name": "residual_rgb", "kind": "pixelcnn", "image_channels": 3, "size": 5, "levels": 4, "channels": 6,
     "layers": 2, "residual": True, "output_channels": 6},
    {"name": "gated", "kind": "gated", "size": 6, "levels": 5, "channels": 4, "layers": 3, "first_kernel": 5,
     "kernel": 3, "output_channels": 6, "classes": 0},
    {"name": "gated_conditional", "kind": "gated", "size": 6, "levels": 2, "channels": 4, "layers": 2,
     "first_kernel": 7, "kernel": 3, "output_channels": 5, "classes": 3},
]


def main():
    gen = torch.Generator().manual_seed(0)
    out = []
    for cfg in CASES:
        C = cfg.get("image_channels", 1)
        n, s, L = 2, cfg["size"], cfg["levels"]
        levels = torch.randint(0, L, (n, C, s, s), generator=gen)
        labels = [2, 0] if cfg.get("classes") else []
        x = levels.float() / (L - 1)
        if cfg["kind"] == "pixelcnn":
            logits = pixelcnn(cfg, make_weights(pixelcnn_shapes(cfg)), x)
        else:
            logits = gated(cfg, make_weights(gated_shapes(cfg)), x, torch.tensor(labels, dtype=torch.long))
        out.append({"config": cfg, "levels": levels.flatten().tolist(), "labels": labels,
                    "shape": list(logits.shape), "logits": [round(v, 6) for v in logits.flatten().tolist()]})
    path = pathlib.Path(__file__).parent / "fixtures" / "forward.json"
    path.write_text(json.dumps({"cases": out}) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
