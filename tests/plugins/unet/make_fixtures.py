"""Regenerates the fixtures of the U-Net tests, with PyTorch:
    /usr/bin/python3 tests/plugins/unet/make_fixtures.py
fixtures/timestep_embedding.json: diffusers' get_timestep_embedding (flip_sin_to_cos=True,
    downscale_freq_shift=0, UNet2DModel's defaults), copied here so only PyTorch is needed.
fixtures/forward.json: a whole forward pass of bench/unet/torch_unet.py, the PyTorch twin
    of the plugin, with weights from a formula both sides compute (weight_value below), so
    the fixture holds only the input, the parameter names and shapes, and the output.
"""
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench", "unet"))
from torch_unet import UNet  # noqa: E402


def get_timestep_embedding(timesteps, embedding_dim, flip_sin_to_cos=True, downscale_freq_shift=0.0,
                           scale=1.0, max_period=10000):
    # Copied from diffusers/models/embeddings.py (Apache-2.0).
    half_dim = embedding_dim // 2
    exponent = -math.log(max_period) * torch.arange(start=0, end=half_dim, dtype=torch.float32)
    exponent = exponent / (half_dim - downscale_freq_shift)
    emb = torch.exp(exponent)
    emb = timesteps[:, None].float() * emb[None, :]
    emb = scale * emb
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=-1)
    if flip_sin_to_cos:
        emb = torch.cat([emb[:, half_dim:], emb[:, :half_dim]], dim=-1)
    if embedding_dim % 2 == 1:
        emb = torch.nn.functional.pad(emb, (0, 1, 0, 0))
    return emb


cases = []
for dim, ts in [(32, [0.0, 1.0, 17.0, 500.0, 999.0]), (16, [0.5, 250.25, 998.9]), (7, [3.0, 640.0])]:
    t = torch.tensor(ts, dtype=torch.float32)
    cases.append({"dim": dim, "timesteps": ts, "embedding": get_timestep_embedding(t, dim).flatten().tolist()})

out = os.path.join(HERE, "fixtures", "timestep_embedding.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"generator": "tests/plugins/unet/make_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
print("wrote", out)


def weight_value(index, k, fan_in):
    """Element k of the index-th parameter in name order (unet_test.cpp computes the same)."""
    return math.sin(0.37 * k + 1.1 * index) / math.sqrt(fan_in)


config = {"in_channels": 1, "image_size": 8, "base_channels": 8, "channel_mult": [1, 2], "layers_per_block": 1,
          "attention_resolutions": [4], "attention_head_dim": 4, "norm_num_groups": 4, "num_class_embeds": 3}
torch.manual_seed(0)
net = UNet(in_ch=1, size=8, base=8, mult=(1, 2), layers=1, attn=(4,), head_dim=4, groups=4, classes=3).eval()
names = sorted(dict(net.named_parameters()))
params = dict(net.named_parameters())
with torch.no_grad():
    for index, name in enumerate(names):
        p = params[name]
        fan_in = p.numel() // p.shape[0]
        values = [weight_value(index, k, fan_in) for k in range(p.numel())]
        p.copy_(torch.tensor(values, dtype=torch.float32).reshape(p.shape))
    x = torch.sin(torch.arange(2 * 1 * 8 * 8, dtype=torch.float32) * 0.5).reshape(2, 1, 8, 8)
    timesteps = [3.0, 777.5]
    labels = [1, -1]
    y = net(x, torch.tensor(timesteps), torch.tensor(labels))
out = os.path.join(HERE, "fixtures", "forward.json")
with open(out, "w") as f:
    json.dump({"generator": "tests/plugins/unet/make_fixtures.py", "torch": torch.__version__, "config": config,
               "parameters": [{"name": n, "shape": list(params[n].shape)} for n in names],
               "input": x.flatten().tolist(), "timesteps": timesteps, "labels": labels,
               "output": y.flatten().tolist()}, f)
print("wrote", out)
