"""The genhost U-Net (plugins/unet) in PyTorch: same architecture and the same parameter
names (diffusers' UNet2DModel layout), so weights map one to one. Used by reference.py
(speed) and tests/plugins/unet/make_fixtures.py (the whole forward pass, checked)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim):
    """diffusers' get_timestep_embedding(flip_sin_to_cos=True, downscale_freq_shift=0)."""
    half = dim // 2
    exponent = -math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half
    emb = t.float()[:, None] * torch.exp(exponent)[None, :]
    emb = torch.cat([torch.cos(emb), torch.sin(emb)], dim=-1)
    if dim % 2:
        emb = F.pad(emb, (0, 1))
    return emb


class ResnetBlock(nn.Module):
    def __init__(self, cin, cout, temb, groups, dropout):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return (self.conv_shortcut(x) if self.conv_shortcut is not None else x) + h


class Attention(nn.Module):
    def __init__(self, ch, head_dim, groups):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, ch)
        self.to_q, self.to_k, self.to_v, self.to_out = (nn.Linear(ch, ch) for _ in range(4))
        self.heads = ch // head_dim

    def forward(self, x):
        n, c, h, w = x.shape
        tok = self.group_norm(x).reshape(n, c, h * w).transpose(1, 2)
        split = lambda f: f(tok).reshape(n, h * w, self.heads, c // self.heads).transpose(1, 2)
        q, k, v = split(self.to_q), split(self.to_k), split(self.to_v)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(c // self.heads), dim=-1) @ v
        out = self.to_out(a.transpose(1, 2).reshape(n, h * w, c)).transpose(1, 2)
        return x + out.reshape(n, c, h, w)


class Conv(nn.Module):  # holds `.conv`, for the names down_blocks.i.downsamplers.0.conv
    def __init__(self, ch, stride):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, stride=stride, padding=1)


class UNet(nn.Module):
    def __init__(self, in_ch=1, size=28, base=16, mult=(1, 2, 2), layers=1, attn=(7,), head_dim=16, groups=8,
                 dropout=0.0, classes=0):
        super().__init__()
        self.base, self.classes = base, classes
        temb = 4 * base
        self.time_embedding = nn.Module()
        self.time_embedding.linear_1 = nn.Linear(base, temb)
        self.time_embedding.linear_2 = nn.Linear(temb, temb)
        self.class_embedding = nn.Embedding(classes + 1, temb) if classes else None
        width = [base * m for m in mult]
        self.conv_in = nn.Conv2d(in_ch, width[0], 3, padding=1)
        skips, ch, res = [width[0]], width[0], size
        self.down_blocks = nn.ModuleList()
        for i, w in enumerate(width):
            level = nn.Module()
            level.resnets, level.attentions = nn.ModuleList(), nn.ModuleList()
            for _ in range(layers):
                level.resnets.append(ResnetBlock(ch, w, temb, groups, dropout))
                ch = w
                level.attentions.append(Attention(ch, head_dim, groups) if res in attn else nn.Identity())
                skips.append(ch)
            level.downsamplers = nn.ModuleList([Conv(ch, 2)] if i + 1 < len(width) else [])
            if i + 1 < len(width):
                skips.append(ch)
                res //= 2
            self.down_blocks.append(level)
        self.mid_block = nn.Module()
        self.mid_block.resnets = nn.ModuleList([ResnetBlock(ch, ch, temb, groups, dropout) for _ in range(2)])
        self.mid_block.attentions = nn.ModuleList([Attention(ch, head_dim, groups)])
        self.up_blocks = nn.ModuleList()
        for i in reversed(range(len(width))):
            level = nn.Module()
            level.resnets, level.attentions = nn.ModuleList(), nn.ModuleList()
            for _ in range(layers + 1):
                level.resnets.append(ResnetBlock(ch + skips.pop(), width[i], temb, groups, dropout))
                ch = width[i]
                level.attentions.append(Attention(ch, head_dim, groups) if res in attn else nn.Identity())
            level.upsamplers = nn.ModuleList([Conv(ch, 1)] if i > 0 else [])
            if i > 0:
                res *= 2
            self.up_blocks.append(level)
        self.conv_norm_out = nn.GroupNorm(groups, ch)
        self.conv_out = nn.Conv2d(ch, in_ch, 3, padding=1)

    def forward(self, x, t, labels=None):
        te = self.time_embedding
        temb = te.linear_2(F.silu(te.linear_1(timestep_embedding(t, self.base))))
        if self.class_embedding is not None:
            rows = torch.full((x.shape[0],), self.classes) if labels is None else torch.where(
                labels < 0, torch.full_like(labels, self.classes), labels)
            temb = temb + self.class_embedding(rows)
        h = self.conv_in(x)
        skips = [h]
        for level in self.down_blocks:
            for res, att in zip(level.resnets, level.attentions):
                h = att(res(h, temb))
                skips.append(h)
            for down in level.downsamplers:
                h = down.conv(h)
                skips.append(h)
        mid = self.mid_block
        h = mid.resnets[1](mid.attentions[0](mid.resnets[0](h, temb)), temb)
        for level in self.up_blocks:
            for res, att in zip(level.resnets, level.attentions):
                h = att(res(torch.cat([h, skips.pop()], 1), temb))
            for up in level.upsamplers:
                h = up.conv(F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.conv_out(F.silu(self.conv_norm_out(h)))
