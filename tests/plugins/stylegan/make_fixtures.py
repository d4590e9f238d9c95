"""Expected StyleGAN2 pieces, computed with PyTorch, for tests/plugins/stylegan.

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/stylegan/make_fixtures.py
It rewrites fixtures/stylegan.json:
  modulated_conv  x, weight, styles and a cotangent r; the output of the official
                  per-image (grouped convolution) form of w'' = s w / sqrt(sum (s w)^2 + eps),
                  with and without demodulation, and the gradients of sum(out * r) in x,
                  weight and styles (modulated_conv_test.cpp)
  generator       a tiny mapping and synthesis network (the plugin's parameter names), z,
                  ws mixed at layer 2 and the noise maps: w = f(z) and the images
                  (modulated_conv_test.cpp)
  r1              a tiny discriminator, real and fake images: scores, R1 = E||grad_x D(x)||^2
                  and the gradients of  softplus(-D(x)) + softplus(D(G(z))) + k gamma/2 R1  in
                  every weight (double backward; r1_test.cpp)
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(2020)


def r(*shape, scale=1.0):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).float() * scale


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def lrelu(x):
    return F.leaky_relu(x, 0.2) * math.sqrt(2)


# ---- the official StyleGAN2 modulated convolution: one weight per image, grouped conv ----
def modulated_conv_official(x, weight, styles, demodulate, eps=1e-8):
    n, cin, h, w = x.shape
    cout, _, k, _ = weight.shape
    wi = weight.unsqueeze(0) * styles.reshape(n, 1, cin, 1, 1)           # w' = s_i w_ijk
    if demodulate:
        wi = wi * (wi.square().sum(dim=[2, 3, 4], keepdim=True) + eps).rsqrt()  # w''
    y = F.conv2d(x.reshape(1, n * cin, h, w), wi.reshape(n * cout, cin, k, k), padding=k // 2, groups=n)
    return y.reshape(n, cout, h, w)


def modulated_conv():
    cases = []
    for demodulate, k in [(True, 3), (False, 3), (True, 1), (False, 1)]:
        x, weight, styles = r(2, 3, 5, 5), r(4, 3, k, k, scale=0.5), r(2, 3) + 1.0
        cot = r(2, 4, 5, 5)
        xs = [t.clone().requires_grad_(True) for t in (x, weight, styles)]
        out = modulated_conv_official(*xs, demodulate)
        gx, gw, gs = torch.autograd.grad((out * cot).sum(), xs)
        cases.append({"demodulate": demodulate, "kernel": k, "x": flat(x), "weight": flat(weight),
                      "styles": flat(styles), "cotangent": flat(cot), "out": flat(out),
                      "grad_x": flat(gx), "grad_weight": flat(gw), "grad_styles": flat(gs)})
    return cases


def lin(p, name, x, lr_mul=1.0):
    w, b = p[name + ".weight"], p[name + ".bias"]
    return F.linear(x, w * lr_mul / math.sqrt(w.shape[1]), b * lr_mul)


def conv(p, name, x):
    w, b = p[name + ".weight"], p[name + ".bias"]
    return F.conv2d(x, w / math.sqrt(w[0].numel()), b, padding=w.shape[2] // 2)


# ---- mapping.hpp and synthesis.hpp ----
def generator():
    z_dim, w_dim, layers, ch, n = 6, 5, 2, (4, 3, 2), 2
    p = {}
    for i in range(layers):
        p[f"generator.mapping.fc{i}.weight"] = r(w_dim, z_dim if i == 0 else w_dim) / 0.01
        p[f"generator.mapping.fc{i}.bias"] = r(w_dim, scale=0.1) / 0.01
    p["generator.synthesis.const"] = r(1, ch[0], 7, 7)
    plan = [(ch[0], ch[0], False, 7), (ch[0], ch[1], True, 14), (ch[1], ch[1], False, 14),
            (ch[1], ch[2], True, 28), (ch[2], ch[2], False, 28)]
    for l, (cin, cout, up, s) in enumerate(plan):
        at = f"generator.synthesis.conv{l}"
        p[at + ".affine.weight"], p[at + ".affine.bias"] = r(cin, w_dim), 1.0 + r(cin, scale=0.1)
        p[at + ".weight"], p[at + ".bias"], p[at + ".noise_strength"] = r(cout, cin, 3, 3), r(cout, scale=0.1), r(1, scale=0.3)
    p["generator.synthesis.to_rgb.affine.weight"] = r(ch[2], w_dim)
    p["generator.synthesis.to_rgb.affine.bias"] = 1.0 + r(ch[2], scale=0.1)
    p["generator.synthesis.to_rgb.weight"], p["generator.synthesis.to_rgb.bias"] = r(1, ch[2], 1, 1), r(1, scale=0.1)

    z1, z2 = r(n, z_dim), r(n, z_dim)

    def mapping(z):
        h = z * (z.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt()
        for i in range(layers):
            h = lrelu(lin(p, f"generator.mapping.fc{i}", h, lr_mul=0.01))
        return h

    w1, w2 = mapping(z1), mapping(z2)
    ws = torch.stack([w1 if l < 2 else w2 for l in range(6)], dim=1)  # style mixing at layer 2
    noise = [r(n, 1, s, s) for (_, _, _, s) in plan]
    x = p["generator.synthesis.const"].expand(n, -1, -1, -1)
    for l, (cin, cout, up, s) in enumerate(plan):
        at = f"generator.synthesis.conv{l}"
        if up:
            x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        styles = lin(p, at + ".affine", ws[:, l])
        x = modulated_conv_official(x, p[at + ".weight"] / math.sqrt(cin * 9), styles, True)
        x = lrelu(x + p[at + ".noise_strength"] * noise[l] + p[at + ".bias"].reshape(1, -1, 1, 1))
    styles = lin(p, "generator.synthesis.to_rgb.affine", ws[:, 5])
    img = modulated_conv_official(x, p["generator.synthesis.to_rgb.weight"] / math.sqrt(ch[2]), styles, False)
    img = img + p["generator.synthesis.to_rgb.bias"].reshape(1, -1, 1, 1)
    return {"z_dim": z_dim, "w_dim": w_dim, "mapping_layers": layers, "channels": list(ch),
            "weights": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in p.items()},
            "z1": flat(z1), "z2": flat(z2), "w1": flat(w1), "w2": flat(w2),
            "noise": [flat(t) for t in noise], "images": flat(img)}


# ---- discriminator.hpp and r1.hpp ----
def discriminator(p, x):
    h = lrelu(conv(p, "discriminator.conv0", x))
    h = lrelu(conv(p, "discriminator.conv2", lrelu(conv(p, "discriminator.conv1", h))))
    h = F.avg_pool2d(h, 2)
    h = lrelu(conv(p, "discriminator.conv4", lrelu(conv(p, "discriminator.conv3", h))))
    h = F.avg_pool2d(h, 2)
    s = (h.var(dim=0, unbiased=False) + 1e-8).sqrt().mean()
    h = torch.cat([h, s.reshape(1, 1, 1, 1).expand(h.shape[0], 1, h.shape[2], h.shape[3])], dim=1)
    h = lrelu(conv(p, "discriminator.conv5", h))
    return lin(p, "discriminator.out", lrelu(lin(p, "discriminator.fc", h.flatten(1)))).reshape(-1)


def r1():
    ch, n, gamma, k = (3, 4, 5), 3, 10.0, 4
    shapes = {"conv0": (ch[0], 1, 1, 1), "conv1": (ch[0], ch[0], 3, 3), "conv2": (ch[1], ch[0], 3, 3),
              "conv3": (ch[1], ch[1], 3, 3), "conv4": (ch[2], ch[1], 3, 3), "conv5": (ch[2], ch[2] + 1, 3, 3),
              "fc": (ch[2], ch[2] * 49), "out": (1, ch[2])}
    p = {}
    for name, shape in shapes.items():
        p[f"discriminator.{name}.weight"] = r(*shape)
        p[f"discriminator.{name}.bias"] = r(shape[0], scale=0.1)
    real, fake = r(n, 1, 28, 28).clamp(-1, 1), r(n, 1, 28, 28).clamp(-1, 1)
    params = {key: v.clone().requires_grad_(True) for key, v in p.items()}
    x = real.clone().requires_grad_(True)
    s_real = discriminator(params, x)
    (g,) = torch.autograd.grad(s_real.sum(), [x], create_graph=True)
    penalty = g.square().flatten(1).sum(1).mean()
    s_fake = discriminator(params, fake)
    loss = F.softplus(-s_real).mean() + F.softplus(s_fake).mean() + (gamma / 2 * k) * penalty
    grads = torch.autograd.grad(loss, list(params.values()))
    return {"channels": list(ch), "gamma": gamma, "every": k,
            "weights": {key: {"shape": list(v.shape), "values": flat(v)} for key, v in p.items()},
            "real": flat(real), "fake": flat(fake), "scores_real": flat(s_real), "scores_fake": flat(s_fake),
            "r1": float(penalty), "loss": float(loss),
            "grads": {key: flat(gr) for key, gr in zip(params.keys(), grads)}}


out = {"cases": {"modulated_conv": modulated_conv(), "generator": generator(), "r1": r1()}}
path = pathlib.Path(__file__).parent / "fixtures" / "stylegan.json"
path.write_text(json.dumps(out))
print("wrote", path)
