"""Expected GAN losses, gradient penalties and spectral norms, computed with PyTorch, for
tests/plugins/gan (losses_test.cpp, penalty_test.cpp, spectral_norm_test.cpp).

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/gan/make_fixtures.py
It rewrites fixtures/gan.json:
  losses         scores of real and fake images; per loss the D and G losses and their
                 gradients in the scores
  critics        small discriminators (the plugin's networks, weights by the plugin's
                 parameter names), images, labels and eps; their scores, the gradient
                 penalty and the gradients of  L = E[D(G(z))] - E[D(x)] + 10 GP  in every
                 weight (double backward through conv, linear, leaky_relu, layer norm and
                 spectral norm)
  spectral_norm  torch.nn.utils.spectral_norm on a conv weight: u, v, sigma and W / sigma
                 after each of three training-mode forwards
"""
import json
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
gen = torch.Generator().manual_seed(1234)


def r(*shape, scale=1.0):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).float() * scale


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


# ---- losses.hpp, each as in its paper ----
def losses():
    s_real, s_fake = r(6, scale=2.0), r(6, scale=2.0)
    out = {"s_real": flat(s_real), "s_fake": flat(s_fake), "cases": {}}
    sig = torch.sigmoid
    d_losses = {
        "minimax": lambda a, b: -(torch.log(sig(a))).mean() - torch.log(1 - sig(b)).mean(),
        "non_saturating": lambda a, b: -(torch.log(sig(a))).mean() - torch.log(1 - sig(b)).mean(),
        "wasserstein": lambda a, b: b.mean() - a.mean(),
        "lsgan": lambda a, b: 0.5 * ((a - 1) ** 2).mean() + 0.5 * (b ** 2).mean(),
        "hinge": lambda a, b: F.relu(1 - a).mean() + F.relu(1 + b).mean(),
    }
    g_losses = {
        "minimax": lambda b: torch.log(1 - sig(b)).mean(),
        "non_saturating": lambda b: -torch.log(sig(b)).mean(),
        "wasserstein": lambda b: -b.mean(),
        "lsgan": lambda b: 0.5 * ((b - 1) ** 2).mean(),
        "hinge": lambda b: -b.mean(),
    }
    for name in d_losses:
        a = s_real.double().clone().requires_grad_(True)
        b = s_fake.double().clone().requires_grad_(True)
        ld = d_losses[name](a, b)
        ga, gb = torch.autograd.grad(ld, [a, b])
        b2 = s_fake.double().clone().requires_grad_(True)
        lg = g_losses[name](b2)
        (gg,) = torch.autograd.grad(lg, [b2])
        out["cases"][name] = {"d_loss": float(ld), "d_grad_real": flat(ga), "d_grad_fake": flat(gb),
                              "g_loss": float(lg), "g_grad_fake": flat(gg)}
    return out


# ---- the plugin's discriminators (networks.hpp) ----
class Dcgan(nn.Module):
    def __init__(self, c, ndf, norm, classes, conditioning, sn):
        super().__init__()
        self.classes, self.project = classes, classes > 0 and conditioning == "projection"
        bias = norm != "batch"
        cin = c + (classes if classes and not self.project else 0)
        wrap = nn.utils.spectral_norm if sn else (lambda m: m)
        self.conv1 = wrap(nn.Conv2d(cin, ndf, 4, 2, 1, bias=bias))
        self.conv2 = wrap(nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=bias))
        self.conv3 = wrap(nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=bias))
        self.ln2 = nn.GroupNorm(1, ndf * 2) if norm == "layer" else None
        self.embed = wrap(nn.Linear(classes, ndf * 2, bias=False)) if self.project else None

    def forward(self, x, y):
        n = x.shape[0]
        if y is not None and not self.project:
            x = torch.cat([x, y[:, :, None, None].expand(n, self.classes, x.shape[2], x.shape[3])], 1)
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = self.conv2(h)
        if self.ln2 is not None:
            h = self.ln2(h)
        h = F.leaky_relu(h, 0.2)
        s = self.conv3(h).reshape(n, 1)
        if self.project and y is not None:
            s = s + (self.embed(y) * h.sum((2, 3))).sum(1, keepdim=True)
        return s.reshape(n)


class Mlp(nn.Module):
    def __init__(self, pixels, hidden, classes, conditioning, sn):
        super().__init__()
        self.project = classes > 0 and conditioning == "projection"
        wrap = nn.utils.spectral_norm if sn else (lambda m: m)
        n_in = pixels + (classes if classes and not self.project else 0)
        self.fcs = nn.ModuleList()
        for h in hidden:
            self.fcs.append(wrap(nn.Linear(n_in, h)))
            n_in = h
        self.out = wrap(nn.Linear(n_in, 1))
        self.embed = wrap(nn.Linear(classes, n_in, bias=False)) if self.project else None

    def forward(self, x, y):
        h = x.reshape(x.shape[0], -1)
        if y is not None and not self.project:
            h = torch.cat([h, y], 1)
        for fc in self.fcs:
            h = F.leaky_relu(fc(h), 0.2)
        s = self.out(h)
        if self.project and y is not None:
            s = s + (self.embed(y) * h).sum(1, keepdim=True)
        return s.reshape(-1)


def plugin_names(module, group, architecture):
    """torch state name -> plugin parameter name."""
    names = {}
    for key in module.state_dict():
        parts = key.split(".")
        if architecture == "mlp" and parts[0] == "fcs":
            parts = ["fc" + str(int(parts[1]) + 1)] + parts[2:]
        layer, field = ".".join(parts[:-1]), parts[-1]
        field = {"weight_orig": "weight"}.get(field, field)
        names[key] = f"{group}.{layer}.{field}"
    return names


def critic_case(name, params, data, n, sn_seed=None):
    c, h, w = data["channels"], data["height"], data["width"]
    classes = data["num_classes"] if params.get("conditional") else 0
    sn = params.get("spectral_norm", False)
    conditioning = params.get("conditioning", "concat")
    if params["architecture"] == "dcgan":
        net = Dcgan(c, params["ndf"], params["discriminator_norm"], classes, conditioning, sn)
    else:
        net = Mlp(c * h * w, params["discriminator_hidden"], classes, conditioning, sn)
    with torch.no_grad():
        for key, t in net.state_dict().items():
            if key.endswith("_u") or key.endswith("_v"):
                t.copy_(F.normalize(r(*t.shape), dim=0, eps=1e-12))
            elif "ln2.weight" in key:
                t.copy_(1.0 + r(*t.shape, scale=0.1))
            else:
                fan_in = t[0].numel() if t.dim() > 1 else 4
                t.copy_(r(*t.shape, scale=1.0 / fan_in ** 0.5))
    names = plugin_names(net, "critic", params["architecture"])
    weights = {names[k]: {"shape": list(t.shape), "values": flat(t)} for k, t in net.state_dict().items()}

    real = torch.tanh(r(n, c, h, w))
    fake = torch.tanh(r(n, c, h, w))
    eps = torch.rand(n, generator=gen)
    labels = torch.randint(0, max(classes, 1), (n,), generator=gen)
    y = F.one_hot(labels, classes).float() if classes else None

    if sn:  # one power iteration, as the plugin's begin(update_sn = true); then eval: u, v fixed
        net.train()
        with torch.no_grad():
            net(real, y)
        net.eval()
    s_real, s_fake = net(real, y), net(fake, y)
    x_hat = (eps[:, None, None, None] * real + (1 - eps[:, None, None, None]) * fake).requires_grad_(True)
    (g,) = torch.autograd.grad(net(x_hat, y).sum(), [x_hat], create_graph=True)
    gp = ((g.reshape(n, -1).norm(2, dim=1) - 1) ** 2).mean()
    loss = s_fake.mean() - s_real.mean() + 10.0 * gp
    net.zero_grad()
    loss.backward()
    grads = {}
    for key, p in net.named_parameters():
        grads[names[key]] = flat(p.grad)
    buffers = {names[k]: flat(t) for k, t in net.state_dict().items() if k.endswith("_u") or k.endswith("_v")}
    return {"name": name, "params": params, "data": data, "weights": weights,
            "real": flat(real), "fake": flat(fake), "eps": flat(eps), "labels": [int(v) for v in labels],
            "scores_real": flat(s_real), "scores_fake": flat(s_fake), "gp": float(gp), "loss": float(loss),
            "grads": grads, "buffers_after": buffers}


def spectral_norm_steps():
    conv = nn.Conv2d(3, 5, 2, bias=False)
    with torch.no_grad():
        conv.weight.copy_(r(5, 3, 2, 2))
    conv = nn.utils.spectral_norm(conv)
    with torch.no_grad():
        conv.weight_u.copy_(F.normalize(r(5), dim=0, eps=1e-12))
        conv.weight_v.copy_(F.normalize(r(12), dim=0, eps=1e-12))
    out = {"weight": flat(conv.weight_orig), "u0": flat(conv.weight_u), "v0": flat(conv.weight_v), "steps": []}
    x = r(1, 3, 2, 2)
    conv.train()
    for _ in range(3):
        conv(x)  # the pre-forward hook runs one power iteration and sets conv.weight = W / sigma
        W = conv.weight_orig.reshape(5, -1)
        sigma = torch.dot(conv.weight_u, W @ conv.weight_v)
        out["steps"].append({"u": flat(conv.weight_u), "v": flat(conv.weight_v), "sigma": float(sigma),
                             "weight_sn": flat(conv.weight)})
    return out


fixtures = {
    "losses": losses(),
    "critics": [
        critic_case("dcgan critic, no norm (WGAN-GP)",
                    {"architecture": "dcgan", "ndf": 3, "discriminator_norm": "none"},
                    {"channels": 1, "height": 28, "width": 28, "num_classes": 0}, 2),
        critic_case("dcgan critic, layer norm, concat conditioning",
                    {"architecture": "dcgan", "ndf": 2, "discriminator_norm": "layer", "conditional": True,
                     "conditioning": "concat"},
                    {"channels": 1, "height": 28, "width": 28, "num_classes": 3}, 2),
        critic_case("dcgan critic, spectral norm, projection",
                    {"architecture": "dcgan", "ndf": 2, "discriminator_norm": "none", "conditional": True,
                     "conditioning": "projection", "spectral_norm": True},
                    {"channels": 1, "height": 28, "width": 28, "num_classes": 3}, 2),
        critic_case("mlp critic, spectral norm, projection",
                    {"architecture": "mlp", "discriminator_hidden": [16, 8], "conditional": True,
                     "conditioning": "projection", "spectral_norm": True},
                    {"channels": 1, "height": 6, "width": 6, "num_classes": 3}, 4),
        critic_case("mlp critic, concat",
                    {"architecture": "mlp", "discriminator_hidden": [12], "conditional": True,
                     "conditioning": "concat"},
                    {"channels": 2, "height": 3, "width": 3, "num_classes": 2}, 3),
    ],
    "spectral_norm": spectral_norm_steps(),
}

path = pathlib.Path(__file__).parent / "fixtures" / "gan.json"
path.write_text(json.dumps(fixtures, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
