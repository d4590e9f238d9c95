"""Expected ELBOs of tiny VAEs, computed with PyTorch, for tests/plugins/vae/elbo_test.cpp,
and the discrete pixel likelihoods for pixel_likelihood_test.cpp.

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/vae/make_fixtures.py
It rewrites fixtures/elbo.json: for each case, the plugin params, the data shape and range,
every weight by the plugin's parameter name, the images, labels, and per image the ELBO,
log p(x | z = mu) and the KL. And fixtures/discrete.json: decoder outputs, pixels, and
log p(x | z) per image with its gradient for the logistic and categorical likelihoods,
computed in float64 from the CDF difference (not the plugin's log-sigmoid identity).

The encoder's log-variance head is set to weight 0, bias -40 (sigma = 2e-9), so the one
sample z the plugin draws equals the mean to float precision and the ELBO is a
deterministic function of the weights: log p(x | mu) - KL(q || N(0, I)).
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

LOGVAR_BIAS = -40.0


def conv_shapes(case):
    c, h, w = case["data"]["channels"], case["data"]["height"], case["data"]["width"]
    return c, h, w


def outputs_per_pixel(p):
    return {"logistic": 2, "categorical": 256}.get(p.get("likelihood"), 1)


def levels(x_unit):
    return torch.clamp(torch.round(x_unit * 255), 0, 255).long()


def logistic_log_prob(decoded, x_unit):
    """log P(round(255 x) | m, log s) per image: decoded [N, 2P] = (m, log s), float64.
    The bin's mass as a difference of CDFs, taken on the side of the mean where both are
    small (F(a) - F(b) left of it, (1 - F(b)) - (1 - F(a)) right of it) so float64 holds
    tails down to e^-700; the edge bins extend to -inf and +inf."""
    decoded, x_unit = decoded.double(), x_unit.double()
    P = x_unit.shape[1]
    m, log_s = decoded[:, :P], torch.clamp(decoded[:, P:], -7.0, 7.0)
    k = levels(x_unit).double()
    a = ((k + 0.5) / 255 - m) / torch.exp(log_s)
    b = ((k - 0.5) / 255 - m) / torch.exp(log_s)
    a = torch.where(k == 255, torch.full_like(a, math.inf), a)
    b = torch.where(k == 0, torch.full_like(b, -math.inf), b)
    left = (a + b) < 0
    mass = torch.where(left, torch.sigmoid(a) - torch.sigmoid(b), torch.sigmoid(-b) - torch.sigmoid(-a))
    return torch.log(mass).sum(1)


def categorical_log_prob(decoded, x_unit):
    """log softmax(logits)_k per image: decoded [N, 256 P], logit of level j for pixel p at j*P + p."""
    n, P = x_unit.shape
    logp = F.log_softmax(decoded.double().view(n, 256, P), 1)
    return logp.gather(1, levels(x_unit).view(n, 1, P)).view(n, P).sum(1)


def make_weights(case, gen):
    """Parameter name -> tensor, in the plugin's names and layouts."""
    p = case["params"]
    c, h, w = conv_shapes(case)
    pixels = c * h * w
    classes = case["data"]["num_classes"] if p.get("conditional") else 0
    d = p["latent_dim"]
    weights = {}

    def linear(name, n_in, n_out):
        weights[name + ".weight"] = torch.randn(n_out, n_in, generator=gen) * (1.0 / math.sqrt(n_in))
        weights[name + ".bias"] = torch.randn(n_out, generator=gen) * 0.1

    def conv(name, n_in, n_out, transposed):
        shape = (n_in, n_out, 4, 4) if transposed else (n_out, n_in, 4, 4)
        weights[name + ".weight"] = torch.randn(*shape, generator=gen) * (1.0 / math.sqrt(n_in * 16))
        weights[name + ".bias"] = torch.randn(n_out, generator=gen) * 0.1

    if p["architecture"] == "mlp":
        n_in = pixels + classes
        for i, width in enumerate(p["hidden"]):
            linear(f"encoder.fc{i + 1}", n_in, width)
            n_in = width
        features = n_in
    else:
        n_in = c
        for i, width in enumerate(p["conv_channels"]):
            conv(f"encoder.conv{i + 1}", n_in, width, False)
            n_in = width
        down = 2 ** len(p["conv_channels"])
        features = n_in * (h // down) * (w // down) + classes
    spatial = p.get("latent_channels", 0)
    if spatial:  # 1x1 convolutions to [latent_channels, h', w'] maps (latent diffusion's first stage)
        for name in ("encoder.mu", "encoder.logvar"):
            weights[name + ".weight"] = torch.randn(spatial, n_in, 1, 1, generator=gen) * (1.0 / math.sqrt(n_in))
            weights[name + ".bias"] = torch.randn(spatial, generator=gen) * 0.1
    else:
        linear("encoder.mu", features, d)
        linear("encoder.logvar", features, d)
    weights["encoder.logvar.weight"].zero_()
    weights["encoder.logvar.bias"].fill_(LOGVAR_BIAS)

    n_in = d + classes
    k_out = outputs_per_pixel(p)
    if p["architecture"] == "mlp":
        for i, width in enumerate(reversed(p["hidden"])):
            linear(f"decoder.fc{i + 1}", n_in, width)
            n_in = width
        linear("decoder.out", n_in, pixels * k_out)
    else:
        chans = p["conv_channels"]
        down = 2 ** len(chans)
        if spatial:
            weights["decoder.in.weight"] = torch.randn(chans[-1], spatial, 3, 3, generator=gen) / math.sqrt(spatial * 9)
            weights["decoder.in.bias"] = torch.randn(chans[-1], generator=gen) * 0.1
        else:
            linear("decoder.fc", n_in, chans[-1] * (h // down) * (w // down))
        k = 1
        for i in reversed(range(len(chans))):
            out = c * k_out if i == 0 else chans[i - 1]
            name = "decoder.out" if i == 0 else f"decoder.deconv{k}"
            k += 0 if i == 0 else 1
            conv(name, chans[i], out, True)
    if p.get("likelihood") == "gaussian" and p.get("gaussian_variance") == "learned":
        weights["decoder.log_sigma"] = torch.randn(pixels, generator=gen) * 0.3 - 1.5
    return weights


def elbo(case, weights, x_unit, labels):
    p = case["params"]
    c, h, w = conv_shapes(case)
    n = x_unit.shape[0]
    classes = case["data"]["num_classes"] if p.get("conditional") else 0
    y = F.one_hot(labels, classes).float() if classes else None
    cat = (lambda t: torch.cat([t, y], 1)) if classes else (lambda t: t)
    W = weights

    if p["architecture"] == "mlp":
        t = cat(x_unit)
        for i in range(len(p["hidden"])):
            t = F.relu(F.linear(t, W[f"encoder.fc{i + 1}.weight"], W[f"encoder.fc{i + 1}.bias"]))
    else:
        t = x_unit.view(n, c, h, w)
        for i in range(len(p["conv_channels"])):
            t = F.relu(F.conv2d(t, W[f"encoder.conv{i + 1}.weight"], W[f"encoder.conv{i + 1}.bias"], stride=2, padding=1))
        if p.get("latent_channels", 0) == 0:
            t = cat(t.flatten(1))
    if p.get("latent_channels", 0):
        mu = F.conv2d(t, W["encoder.mu.weight"], W["encoder.mu.bias"]).flatten(1)
        logvar = F.conv2d(t, W["encoder.logvar.weight"], W["encoder.logvar.bias"]).flatten(1)
    else:
        mu = F.linear(t, W["encoder.mu.weight"], W["encoder.mu.bias"])
        logvar = F.linear(t, W["encoder.logvar.weight"], W["encoder.logvar.bias"])

    t = cat(mu)  # z = mu: sigma is 2e-9
    if p["architecture"] == "mlp":
        for i in range(len(p["hidden"])):
            t = F.relu(F.linear(t, W[f"decoder.fc{i + 1}.weight"], W[f"decoder.fc{i + 1}.bias"]))
        logits = F.linear(t, W["decoder.out.weight"], W["decoder.out.bias"])
    else:
        chans = p["conv_channels"]
        down = 2 ** len(chans)
        if p.get("latent_channels", 0):
            z = mu.view(n, p["latent_channels"], h // down, w // down)
            t = F.relu(F.conv2d(z, W["decoder.in.weight"], W["decoder.in.bias"], padding=1))
        else:
            t = F.relu(F.linear(t, W["decoder.fc.weight"], W["decoder.fc.bias"])).view(n, chans[-1], h // down, w // down)
        names = [f"decoder.deconv{k + 1}" for k in range(len(chans) - 1)] + ["decoder.out"]
        for k, name in enumerate(names):
            t = F.conv_transpose2d(t, W[name + ".weight"], W[name + ".bias"], stride=2, padding=1)
            if k + 1 < len(names):
                t = F.relu(t)
        logits = t.flatten(1)

    if p.get("likelihood", "bernoulli") == "bernoulli":
        log_px = -F.binary_cross_entropy_with_logits(logits, x_unit, reduction="none").sum(1)
    elif p["likelihood"] == "logistic":
        log_px = logistic_log_prob(logits, x_unit).float()
    elif p["likelihood"] == "categorical":
        log_px = categorical_log_prob(logits, x_unit).float()
    else:
        if p.get("gaussian_variance") == "learned":
            min_sigma = p.get("gaussian_min_sigma", 0.01)
            sigma = torch.sqrt(min_sigma ** 2 + torch.exp(2 * W["decoder.log_sigma"]))
        else:
            sigma = torch.full_like(logits, p.get("gaussian_sigma", 0.1))
        log_px = torch.distributions.Normal(torch.sigmoid(logits), sigma).log_prob(x_unit).sum(1)
    kl = torch.distributions.kl_divergence(
        torch.distributions.Normal(mu, torch.exp(0.5 * logvar)), torch.distributions.Normal(0.0, 1.0)).sum(1)
    return log_px, kl


CASES = [
    {"name": "mlp bernoulli",
     "params": {"architecture": "mlp", "hidden": [5, 3], "latent_dim": 2, "likelihood": "bernoulli"},
     "data": {"channels": 1, "height": 2, "width": 3, "num_classes": 0, "range": [0.0, 1.0]}},
    {"name": "mlp gaussian learned conditional, data in [-1, 1]",
     "params": {"architecture": "mlp", "hidden": [4], "latent_dim": 3, "likelihood": "gaussian",
                "gaussian_variance": "learned", "gaussian_min_sigma": 0.05, "conditional": True},
     "data": {"channels": 2, "height": 2, "width": 2, "num_classes": 3, "range": [-1.0, 1.0]}},
    {"name": "conv gaussian fixed",
     "params": {"architecture": "conv", "conv_channels": [3], "latent_dim": 2, "likelihood": "gaussian",
                "gaussian_variance": "fixed", "gaussian_sigma": 0.3},
     "data": {"channels": 1, "height": 4, "width": 6, "num_classes": 0, "range": [0.0, 1.0]}},
    {"name": "conv bernoulli conditional, two layers",
     "params": {"architecture": "conv", "conv_channels": [2, 3], "latent_dim": 2, "likelihood": "bernoulli",
                "conditional": True},
     "data": {"channels": 2, "height": 4, "width": 4, "num_classes": 4, "range": [0.0, 1.0]}},
    {"name": "conv spatial latents (latent diffusion's first stage), bernoulli",
     "params": {"architecture": "conv", "conv_channels": [3, 4], "latent_dim": 20, "latent_channels": 2,
                "likelihood": "bernoulli"},
     "data": {"channels": 1, "height": 8, "width": 12, "num_classes": 0, "range": [-1.0, 1.0]}},
    {"name": "mlp logistic, 8-bit data",
     "params": {"architecture": "mlp", "hidden": [4], "latent_dim": 2, "likelihood": "logistic"},
     "data": {"channels": 1, "height": 2, "width": 3, "num_classes": 0, "range": [0.0, 1.0]}},
    {"name": "conv logistic conditional, two channels, data in [-1, 1]",
     "params": {"architecture": "conv", "conv_channels": [3], "latent_dim": 2, "likelihood": "logistic",
                "conditional": True},
     "data": {"channels": 2, "height": 4, "width": 4, "num_classes": 3, "range": [-1.0, 1.0]}},
    {"name": "conv categorical, 8-bit data",
     "params": {"architecture": "conv", "conv_channels": [2], "latent_dim": 2, "likelihood": "categorical"},
     "data": {"channels": 1, "height": 4, "width": 2, "num_classes": 0, "range": [0.0, 1.0]}},
]


def discrete_cases(gen):
    """Decoder outputs and pixels for the likelihoods alone, with edge bins and extreme scales."""
    cases = []

    def add(name, model, decoded, x_unit):
        decoded = decoded.double().requires_grad_(True)
        log_prob = (logistic_log_prob if model == "logistic" else categorical_log_prob)(decoded, x_unit)
        (grad,) = torch.autograd.grad(log_prob.sum(), decoded)
        cases.append({"name": name, "likelihood": model, "pixels": x_unit.shape[1],
                      "decoded": {"shape": list(decoded.shape), "values": [float(t) for t in decoded.flatten()]},
                      "x": [float(t) for t in x_unit.flatten()],
                      "log_prob": [float(t) for t in log_prob.detach()],
                      "grad": [float(t) for t in grad.flatten()]})

    def q(v):  # as 8-bit data: level / 255, in float32 like the plugin's input
        return torch.round(torch.as_tensor(v, dtype=torch.float64) * 255).float() / 255

    # logistic: decoded rows are [m_1..m_P, log s_1..log s_P]
    n, P = 3, 6
    x = q(torch.rand(n, P, generator=gen))
    x[0, 0], x[1, 1], x[2, 2] = 0.0, 1.0, 0.0
    m = x + 0.05 * torch.randn(n, P, generator=gen)
    log_s = -4.0 + 0.7 * torch.randn(n, P, generator=gen)
    add("logistic, random pixels and scales", "logistic", torch.cat([m, log_s], 1), x)

    x = torch.tensor([[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]])
    m = torch.tensor([[-0.2, 0.0, 0.4, 1.3, 1.2, 1.0, 0.6, -0.3]])
    log_s = torch.tensor([[-6.0, -3.0, 0.5, -2.0, -6.0, -3.0, 0.5, -2.0]])
    add("logistic, edge bins x = 0 and x = 1, means inside and outside [0, 1]", "logistic",
        torch.cat([m, log_s], 1), x)

    # Scale e^-7 (the floor; -9 is clamped to it) and a mean 0.45 away: the bin's mass is
    # near e^-490, far below float32's smallest number; and scales e^6.5, e^8 (clamped to
    # e^7), where the bin holds a mass near 1/(4 * 255 s).
    x = q(torch.tensor([[0.5, 0.5, 0.2, 0.9, 0.3, 0.7, 0.0, 1.0]]))
    m = torch.tensor([[0.95, 0.05, 0.65, 0.45, 0.3, 0.1, 0.5, 0.5]])
    log_s = torch.tensor([[-6.9, -6.95, -9.0, -6.9, 6.5, 6.0, 8.0, 6.5]])
    add("logistic, extreme scales: tails far below float32 and very broad bins", "logistic",
        torch.cat([m, log_s], 1), x)

    n, P = 2, 3
    x = q(torch.rand(n, P, generator=gen))
    x[0, 0], x[1, 2] = 0.0, 1.0
    add("categorical, random logits", "categorical", 3.0 * torch.randn(n, 256 * P, generator=gen), x)
    add("categorical, extreme logits (scale 60)", "categorical", 60.0 * torch.randn(n, 256 * P, generator=gen), x)
    return cases


def main():
    gen = torch.Generator().manual_seed(5)
    out = []
    for case in CASES:
        c, h, w = conv_shapes(case)
        n = 3
        # Rounded to the digits written, so the C++ side sees the weights torch used.
        weights = {k: torch.round(v * 1e7) / 1e7 for k, v in make_weights(case, gen).items()}
        x_unit = torch.rand(n, c * h * w, generator=gen)
        if outputs_per_pixel(case["params"]) > 1:  # discrete likelihoods: 8-bit levels, with both edges
            x_unit = torch.round(x_unit * 255) / 255
            x_unit[0, 0], x_unit[-1, -1] = 0.0, 1.0
        classes = case["data"]["num_classes"]
        labels = torch.randint(0, max(classes, 1), (n,), generator=gen)
        lo, hi = case["data"]["range"]
        with torch.no_grad():
            log_px, kl = elbo(case, weights, x_unit, labels)
        out.append({
            "name": case["name"], "params": case["params"], "data": case["data"],
            "weights": {k: {"shape": list(v.shape), "values": [float(t) for t in v.flatten()]}
                        for k, v in weights.items()},
            "images": [float(t) for t in (lo + (hi - lo) * x_unit).flatten()],
            "labels": [int(t) for t in labels], "elbo": [float(t) for t in log_px - kl],
            "log_px": [float(t) for t in log_px], "kl": [float(t) for t in kl],
        })
    path = pathlib.Path(__file__).parent / "fixtures" / "elbo.json"
    path.write_text(json.dumps({"generated_by": "tests/plugins/vae/make_fixtures.py", "cases": out}, indent=1) + "\n")
    print("wrote", path)
    path = pathlib.Path(__file__).parent / "fixtures" / "discrete.json"
    path.write_text(json.dumps({"generated_by": "tests/plugins/vae/make_fixtures.py",
                                "cases": discrete_cases(gen)}, indent=1) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
