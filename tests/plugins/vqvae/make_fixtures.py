"""Expected VQ-VAE losses, gradients and codebook updates, computed with PyTorch, for
tests/plugins/vqvae/losses_test.cpp.

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/vqvae/make_fixtures.py
It rewrites fixtures/vqvae.json: for each case, the plugin params, the data shape, every
weight and buffer by the plugin's parameter name, the images, and what one training step
gives: the losses, the gradient of every trained parameter, and (ema) the moving averages
and the codebook after the update; plus the codes of the images and their decodings.
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)  # the reference in double; the plugin runs float32


def make_weights(p, channels, gen):
    h, d, k = p["hidden"], p["code_dim"], p["codebook_size"]
    w = {}

    def conv(name, n_in, n_out, kernel, transposed=False):
        shape = (n_in, n_out, kernel, kernel) if transposed else (n_out, n_in, kernel, kernel)
        w[name + ".weight"] = torch.randn(*shape, generator=gen) / math.sqrt(n_in * kernel * kernel)
        w[name + ".bias"] = torch.randn(n_out, generator=gen) * 0.1

    conv("encoder.conv1", channels, h // 2, 4)
    conv("encoder.conv2", h // 2, h, 4)
    conv("encoder.conv3", h, h, 3)
    for i in range(p["res_blocks"]):
        conv(f"encoder.res{i + 1}.conv1", h, h // 2, 3)
        conv(f"encoder.res{i + 1}.conv2", h // 2, h, 1)
    conv("encoder.out", h, d, 1)
    conv("decoder.conv_in", d, h, 3)
    for i in range(p["res_blocks"]):
        conv(f"decoder.res{i + 1}.conv1", h, h // 2, 3)
        conv(f"decoder.res{i + 1}.conv2", h // 2, h, 1)
    conv("decoder.deconv1", h, h // 2, 4, True)
    conv("decoder.deconv2", h // 2, channels, 4, True)
    w["quantizer.codebook"] = torch.randn(k, d, generator=gen) * 0.5
    if p["codebook_update"] == "ema":
        w["quantizer.ema_count"] = torch.rand(k, generator=gen) * 3 + 0.5
        w["quantizer.ema_sum"] = w["quantizer.codebook"] * w["quantizer.ema_count"][:, None]
    return w


def res(w, name, x):
    h = F.conv2d(F.relu(x), w[name + ".conv1.weight"], w[name + ".conv1.bias"], padding=1)
    return x + F.conv2d(F.relu(h), w[name + ".conv2.weight"], w[name + ".conv2.bias"])


def encoder(w, p, x):
    h = F.relu(F.conv2d(x, w["encoder.conv1.weight"], w["encoder.conv1.bias"], stride=2, padding=1))
    h = F.relu(F.conv2d(h, w["encoder.conv2.weight"], w["encoder.conv2.bias"], stride=2, padding=1))
    h = F.conv2d(h, w["encoder.conv3.weight"], w["encoder.conv3.bias"], padding=1)
    for i in range(p["res_blocks"]):
        h = res(w, f"encoder.res{i + 1}", h)
    return F.conv2d(F.relu(h), w["encoder.out.weight"], w["encoder.out.bias"])


def decoder(w, p, z):
    h = F.conv2d(z, w["decoder.conv_in.weight"], w["decoder.conv_in.bias"], padding=1)
    for i in range(p["res_blocks"]):
        h = res(w, f"decoder.res{i + 1}", h)
    h = F.relu(F.conv_transpose2d(F.relu(h), w["decoder.deconv1.weight"], w["decoder.deconv1.bias"], stride=2, padding=1))
    return F.conv_transpose2d(h, w["decoder.deconv2.weight"], w["decoder.deconv2.bias"], stride=2, padding=1)


def step(w, p, x):
    """One training step: the losses, and for ema the updated statistics and codebook."""
    z_e = encoder(w, p, x)                                  # [N, D, h, w]
    n, d, hh, ww = z_e.shape
    flat = z_e.permute(0, 2, 3, 1).reshape(-1, d)           # [M, D], rows in (n, y, x) order
    e = w["quantizer.codebook"]
    dist = (flat ** 2).sum(1, keepdim=True) - 2 * flat @ e.t() + (e ** 2).sum(1)[None, :]
    codes = dist.argmin(1)
    z_q = e[codes]
    commitment = F.mse_loss(flat, z_q.detach())
    codebook = torch.zeros(()) if p["codebook_update"] == "ema" else F.mse_loss(z_q, flat.detach())
    st = flat + (z_q - flat).detach()
    x_hat = torch.sigmoid(decoder(w, p, st.reshape(n, hh, ww, d).permute(0, 3, 1, 2)))
    recon = F.mse_loss(x_hat, x)
    loss = recon + codebook + p["beta"] * commitment
    freq = torch.bincount(codes, minlength=p["codebook_size"]).double() / codes.numel()
    perplexity = torch.exp(-(freq * torch.log(freq + 1e-10)).sum())
    out = {"losses": [loss, recon, codebook, commitment, perplexity], "codes": codes, "loss": loss}
    if p["codebook_update"] == "ema":
        decay = p["ema_decay"]
        onehot = F.one_hot(codes, p["codebook_size"]).double()
        count = decay * w["quantizer.ema_count"] + (1 - decay) * onehot.sum(0)
        total = decay * w["quantizer.ema_sum"] + (1 - decay) * onehot.t() @ flat.detach()
        nsum = count.sum()
        smoothed = (count + 1e-5) / (nsum + p["codebook_size"] * 1e-5) * nsum
        out["ema"] = {"quantizer.ema_count": count, "quantizer.ema_sum": total,
                      "quantizer.codebook": total / smoothed[:, None]}
    return out


def tensor_json(t):
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().flatten()]}


def case(name, params, n, size, seed):
    gen = torch.Generator().manual_seed(seed)
    w = make_weights(params, 1, gen)
    trained = [k for k in w if not (params["codebook_update"] == "ema" and k.startswith("quantizer."))]
    for k in trained:
        w[k].requires_grad_(True)
    x = torch.rand(n, 1, size, size, generator=gen)
    out = step(w, params, x)
    out["loss"].backward()
    result = {
        "name": name,
        "params": params,
        "data": {"channels": 1, "height": size, "width": size},
        "weights": {k: tensor_json(v) for k, v in w.items()},
        "images": [float(v) for v in x.flatten()],
        "losses": [float(v) for v in out["losses"]],
        "codes": [int(c) for c in out["codes"]],
        "grads": {k: tensor_json(w[k].grad) for k in trained},
    }
    if "ema" in out:
        result["after_update"] = {k: tensor_json(v) for k, v in out["ema"].items()}
    with torch.no_grad():
        codes = out["codes"].reshape(n, 1, size // 4, size // 4)
        z = w["quantizer.codebook"][codes.flatten()].reshape(n, size // 4, size // 4, -1).permute(0, 3, 1, 2)
        result["decoded"] = [float(v) for v in torch.sigmoid(decoder(w, params, z)).flatten()]
    return result


def main():
    base = {"codebook_size": 8, "code_dim": 4, "hidden": 8, "res_blocks": 1, "beta": 0.25,
            "ema_decay": 0.99, "dead_code_threshold": 0.0}
    cases = [
        case("codebook loss", dict(base, codebook_update="loss"), 3, 8, 1),
        case("ema codebook", dict(base, codebook_update="ema", ema_decay=0.9), 3, 8, 2),
        case("wider, no residual blocks", dict(base, codebook_update="loss", res_blocks=0, code_dim=6, codebook_size=16,
                                               beta=0.5), 2, 12, 3),
    ]
    out = pathlib.Path(__file__).parent / "fixtures" / "vqvae.json"
    out.write_text(json.dumps({"cases": cases}))
    print("wrote", out)


if __name__ == "__main__":
    main()
