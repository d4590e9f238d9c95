#!/usr/bin/env python3
"""Writes grid_fixture.txt: a small batch and the bytes torchvision's make_grid +
save_image would store for it, computed with PyTorch (torchvision itself is not
packaged in Debian 12, so its make_grid and save_image are restated below, line for line
from torchvision 0.15 utils.py). Rerun: /usr/bin/python3 tests/host/image/make_grid_fixture.py
Format: a line "n c h w columns padding lo hi pad_value", a line of n*c*h*w input floats
(NCHW), a line "grid_height grid_width", then grid_height*grid_width*c bytes (HWC)."""
import math
import os
import torch


def make_grid(tensor, nrow, padding, normalize, value_range, pad_value):
    tensor = tensor.clone()
    if normalize:
        low, high = value_range
        tensor.clamp_(min=low, max=high)
        tensor.sub_(low).div_(max(high - low, 1e-5))
    nmaps = tensor.size(0)
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    num_channels = tensor.size(1)
    grid = tensor.new_full((num_channels, height * ymaps + padding, width * xmaps + padding), pad_value)
    k = 0
    for y in range(ymaps):
        for x in range(xmaps):
            if k >= nmaps:
                break
            grid.narrow(1, y * height + padding, height - padding).narrow(
                2, x * width + padding, width - padding).copy_(tensor[k])
            k = k + 1
    return grid


def save_image_bytes(grid):
    return grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to("cpu", torch.uint8)


torch.manual_seed(0)
n, c, h, w, columns, padding, lo, hi, pad_value = 5, 3, 4, 3, 2, 1, -1.0, 1.0, -1.0
x = torch.randn(n, c, h, w) * 0.8
x[0, 0, 0, 0] = 5.0    # clamped to hi
x[0, 0, 0, 1] = -5.0   # clamped to lo
# pad_value goes through the same normalization in genhost; torchvision puts it raw in the
# grid after normalizing, so for the fixture pad_value=lo maps to 0 in both.
grid = make_grid(x, columns, padding, True, (lo, hi), 0.0)
out = save_image_bytes(grid)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grid_fixture.txt")
with open(path, "w") as f:
    f.write(f"{n} {c} {h} {w} {columns} {padding} {lo} {hi} {pad_value}\n")
    f.write(" ".join(f"{v:.9g}" for v in x.flatten().tolist()) + "\n")
    f.write(f"{out.shape[0]} {out.shape[1]}\n")
    f.write(" ".join(str(v) for v in out.flatten().tolist()) + "\n")
