"""Expected CycleGAN losses and gradients, computed with PyTorch, for
tests/plugins/cyclegan/losses_test.cpp.

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/cyclegan/make_fixtures.py
It rewrites fixtures/cyclegan.json: one case per setting of tiny networks (the plugin's
architecture, networks.hpp, with weights by the plugin's parameter names), a batch of each
domain in [-1, 1], and for both phases the losses the plugin reports and the gradient of
the first in every weight of the phase's group. pool_size is 0: the discriminators see the
latest fakes.
"""
import json
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

gen = torch.Generator().manual_seed(2017)


def r(*shape, scale=1.0):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).float() * scale


def flat(t):
    return [float("%.8g" % v) for v in t.detach().reshape(-1)]


class ConvNorm(nn.Module):
    def __init__(self, conv, out):
        super().__init__()
        self.conv, self.norm = conv, nn.GroupNorm(out, out)

    def forward(self, x):
        return self.norm(self.conv(x))


class ResnetGenerator(nn.Module):
    def __init__(self, c, f, blocks):
        super().__init__()
        self.layers = {"in": ConvNorm(nn.Conv2d(c, f, 7, 1, 3), f),
                       "down1": ConvNorm(nn.Conv2d(f, 2 * f, 3, 2, 1), 2 * f),
                       "down2": ConvNorm(nn.Conv2d(2 * f, 4 * f, 3, 2, 1), 4 * f)}
        for b in range(blocks):
            for k in (1, 2):
                self.layers[f"block{b}.conv{k}"] = ConvNorm(nn.Conv2d(4 * f, 4 * f, 3, 1, 1), 4 * f)
        self.layers["up1"] = ConvNorm(nn.ConvTranspose2d(4 * f, 2 * f, 4, 2, 1), 2 * f)
        self.layers["up2"] = ConvNorm(nn.ConvTranspose2d(2 * f, f, 4, 2, 1), f)
        self.out = nn.Conv2d(f, c, 7, 1, 3)
        self.blocks = blocks
        for i, m in enumerate(self.layers.values()):
            self.add_module(f"m{i}", m)

    def forward(self, x):
        L = self.layers
        h = x
        for n in ("in", "down1", "down2"):
            h = F.relu(L[n](h))
        for b in range(self.blocks):
            h = h + L[f"block{b}.conv2"](F.relu(L[f"block{b}.conv1"](h)))
        for n in ("up1", "up2"):
            h = F.relu(L[n](h))
        return torch.tanh(self.out(h))

    def named(self, name):  # the plugin's parameter names
        out = {}
        for n, m in self.layers.items():
            out[f"{name}.{n}.weight"], out[f"{name}.{n}.bias"] = m.conv.weight, m.conv.bias
            out[f"{name}.{n}_norm.weight"], out[f"{name}.{n}_norm.bias"] = m.norm.weight, m.norm.bias
        out[f"{name}.out.weight"], out[f"{name}.out.bias"] = self.out.weight, self.out.bias
        return out


class PatchDiscriminator(nn.Module):
    def __init__(self, c, ndf, layers):
        super().__init__()
        self.convs, self.norms = nn.ModuleList(), nn.ModuleList()
        self.has_norm = []
        cin = c
        for i in range(layers + 2):
            last = i == layers + 1
            out = 1 if last else ndf * min(2 ** min(i, 3), 8)
            self.convs.append(nn.Conv2d(cin, out, 4, 2 if i < layers else 1, 1))
            norm = not (i == 0 or last)
            self.norms.append(nn.GroupNorm(out, out) if norm else nn.Identity())
            self.has_norm.append(norm)
            cin = out

    def forward(self, x):
        h = x
        for i in range(len(self.convs) - 1):
            h = F.leaky_relu(self.norms[i](self.convs[i](h)), 0.2)
        return self.convs[-1](h)

    def named(self, name):
        out = {}
        for i, conv in enumerate(self.convs):
            out[f"{name}.conv{i + 1}.weight"], out[f"{name}.conv{i + 1}.bias"] = conv.weight, conv.bias
            if self.has_norm[i]:
                out[f"{name}.norm{i + 1}.weight"] = self.norms[i].weight
                out[f"{name}.norm{i + 1}.bias"] = self.norms[i].bias
        return out


def randomise(named):
    with torch.no_grad():
        for n, p in named.items():
            if n.endswith("norm.weight") or (".norm" in n and n.endswith(".weight")):
                p.copy_(1.0 + r(*p.shape, scale=0.1))
            else:
                p.copy_(r(*p.shape, scale=0.3))


def lsgan_d(s_real, s_fake):  # plugins/gan: 1/2 E[(s_r - 1)^2] + 1/2 E[s_f^2]
    return 0.5 * ((s_real - 1) ** 2).mean() + 0.5 * (s_fake ** 2).mean()


def case(params, n, size, channels=1):
    f, blocks, ndf, layers = params["ngf"], params["residual_blocks"], params["ndf"], params["discriminator_layers"]
    g_ab, g_ba = ResnetGenerator(channels, f, blocks), ResnetGenerator(channels, f, blocks)
    d_a, d_b = PatchDiscriminator(channels, ndf, layers), PatchDiscriminator(channels, ndf, layers)
    gens = {**g_ab.named("G_a_to_b"), **g_ba.named("G_b_to_a")}
    discs = {**d_a.named("D_a"), **d_b.named("D_b")}
    randomise(gens)
    randomise(discs)
    a = torch.tanh(r(n, channels, size, size, scale=1.5))
    b = torch.tanh(r(n, channels, size, size, scale=1.5))
    lc, li = params["lambda_cycle"], params["lambda_identity"] * params["lambda_cycle"]

    # generators: G and F against frozen discriminators
    fake_b, fake_a = g_ab(a), g_ba(b)
    gan_ab = ((d_b(fake_b) - 1) ** 2).mean()
    gan_ba = ((d_a(fake_a) - 1) ** 2).mean()
    cycle = F.l1_loss(g_ba(fake_b), a) + F.l1_loss(g_ab(fake_a), b)
    identity = F.l1_loss(g_ab(b), b) + F.l1_loss(g_ba(a), a)
    loss = gan_ab + gan_ba + lc * cycle + (li * identity if li > 0 else 0)
    grads = torch.autograd.grad(loss, list(gens.values()))
    g_phase = {"losses": [float(loss), float(gan_ab), float(gan_ba), float(cycle), float(identity) if li > 0 else 0.0],
               "grads": {k: flat(g) for k, g in zip(gens, grads)}}

    # discriminators on the latest fakes (pool_size 0)
    with torch.no_grad():
        fake_b, fake_a = g_ab(a), g_ba(b)
    ra, fa, rb, fb = d_a(a), d_a(fake_a), d_b(b), d_b(fake_b)
    la, lb = lsgan_d(ra, fa), lsgan_d(rb, fb)
    loss = la + lb
    grads = torch.autograd.grad(loss, list(discs.values()))
    d_phase = {"losses": [float(loss), float(la), float(lb), float(ra.mean()), float(fa.mean()), float(rb.mean()),
                          float(fb.mean())],
               "grads": {k: flat(g) for k, g in zip(discs, grads)}}
    weights = {k: flat(v) for k, v in {**gens, **discs}.items()}
    return {"params": {**params, "pool_size": 0}, "n": n, "size": size, "channels": channels, "a": flat(a),
            "b": flat(b), "weights": weights, "generators": g_phase, "discriminators": d_phase}


if __name__ == "__main__":
    torch.manual_seed(0)
    cases = [
        case({"ngf": 2, "residual_blocks": 1, "ndf": 2, "discriminator_layers": 1, "lambda_cycle": 10.0,
              "lambda_identity": 0.5}, n=2, size=8),
        case({"ngf": 2, "residual_blocks": 2, "ndf": 2, "discriminator_layers": 2, "lambda_cycle": 4.0,
              "lambda_identity": 0.0}, n=2, size=12),
    ]
    out = pathlib.Path(__file__).parent / "fixtures" / "cyclegan.json"
    out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}))
    print("wrote", out)
