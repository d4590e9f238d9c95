"""Regenerates fixtures/timestep_embedding.json: diffusers' get_timestep_embedding
(flip_sin_to_cos=True, downscale_freq_shift=0, UNet2DModel's defaults), re-typed here so
the fixture needs only PyTorch:
    /usr/bin/python3 tests/plugins/unet/make_fixtures.py
"""
import json
import math
import os

import torch


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

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "timestep_embedding.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"generator": "tests/plugins/unet/make_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
print("wrote", out)
