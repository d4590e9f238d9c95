#!/usr/bin/python3
"""Writes the engine's PyTorch reference fixtures: rerun with /usr/bin/python3 make_fixtures.py.

Each case is fixtures/<case>.bin holding named float32 tensors: the inputs, "go" (the
gradient fed into the output: the test back-propagates sum(out * go)), "out", and
"grad_<input>" for each input that requires grad.

Format (little-endian): b"GHFX", u32 count, then per tensor: u32 name length, name bytes,
u32 ndim, ndim x i64 dims, float32 data (row-major).
"""
import os
import struct

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)  # references in double, stored as float32
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")


def write(case, tensors):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, case + ".bin"), "wb") as f:
        f.write(b"GHFX")
        f.write(struct.pack("<I", len(tensors)))
        for name, t in tensors.items():
            t = t.detach().to(torch.float32).contiguous()
            nb = name.encode()
            f.write(struct.pack("<I", len(nb)))
            f.write(nb)
            f.write(struct.pack("<I", t.dim()))
            f.write(struct.pack("<%dq" % t.dim(), *t.shape))
            f.write(t.numpy().astype("<f4").tobytes())


def case(name, fn, inputs, grads=None, extra=None, after=None):
    """inputs: dict name -> tensor; grads: names that require grad (default all)."""
    grads = list(inputs) if grads is None else grads
    # Round inputs to float32 first so C++ and torch see the same numbers.
    ins = {k: v.to(torch.float32).to(torch.float64).clone().requires_grad_(k in grads) for k, v in inputs.items()}
    out = fn(**ins)
    go = torch.randn(out.shape).to(torch.float32).to(torch.float64)
    gs = torch.autograd.grad((out * go).sum(), [ins[k] for k in grads], allow_unused=True)
    tensors = dict(ins)
    tensors["out"] = out
    tensors["go"] = go
    for k, g in zip(grads, gs):
        tensors["grad_" + k] = g if g is not None else torch.zeros_like(ins[k])
    tensors.update(extra or {})
    tensors.update(after() if after else {})  # state the op changed (running stats, buffers)
    write(name, tensors)


r = torch.randn


def pos(*s):
    return torch.rand(*s) + 0.5


# ---- elementwise with broadcasting ----
case("add", lambda a, b: a + b, {"a": r(3, 1, 5), "b": r(4, 1)})
case("sub", lambda a, b: a - b, {"a": r(2, 3), "b": r(3)})
case("mul", lambda a, b: a * b, {"a": r(3, 4, 1), "b": r(1, 5)})
case("div", lambda a, b: a / b, {"a": r(2, 3, 4), "b": pos(3, 1)})
case("mul_scalar", lambda a: 3.0 * a - 2.0, {"a": r(7)})

# ---- unary math and activations ----
case("exp", lambda x: torch.exp(x), {"x": r(3, 7)})
case("log", lambda x: torch.log(x), {"x": pos(3, 7)})
case("sqrt", lambda x: torch.sqrt(x), {"x": pos(3, 7)})
case("pow", lambda x: torch.pow(x, 2.5), {"x": pos(3, 7)})
case("clamp", lambda x: torch.clamp(x, -0.5, 0.7), {"x": r(5, 9)})
case("abs", lambda x: torch.abs(x), {"x": r(5, 9)})
case("relu", lambda x: F.relu(x), {"x": r(5, 9)})
case("leaky_relu", lambda x: F.leaky_relu(x, 0.2), {"x": r(5, 9)})
case("elu", lambda x: F.elu(x, 1.0), {"x": r(5, 9)})
case("silu", lambda x: F.silu(x), {"x": r(5, 9)})
case("gelu", lambda x: F.gelu(x), {"x": r(5, 9)})
case("tanh", lambda x: torch.tanh(x), {"x": r(5, 9)})
case("sigmoid", lambda x: torch.sigmoid(x), {"x": r(5, 9)})
case("softplus", lambda x: F.softplus(x), {"x": 3 * r(5, 9)})
case("softmax", lambda x: torch.softmax(x, 1), {"x": r(3, 5, 2)})
case("log_softmax", lambda x: torch.log_softmax(x, -1), {"x": r(4, 7)})

# ---- matmul and linear ----
case("matmul_2d", lambda a, b: a @ b, {"a": r(5, 3), "b": r(3, 4)})
case("matmul_fold", lambda a, b: a @ b, {"a": r(2, 3, 5, 4), "b": r(4, 6)})
case("matmul_batched", lambda a, b: a @ b, {"a": r(2, 3, 4), "b": r(2, 4, 5)})
case("linear", lambda x, w, b: F.linear(x, w, b), {"x": r(5, 7), "w": r(3, 7), "b": r(3)})
case("linear_nobias", lambda x, w: F.linear(x, w), {"x": r(2, 3, 7), "w": r(4, 7)})

# ---- reductions ----
case("sum_all", lambda x: x.sum(), {"x": r(3, 4, 5)})
case("sum_dim", lambda x: x.sum(1), {"x": r(3, 4, 5)})
case("mean_keep", lambda x: x.mean((0, 2), keepdim=True), {"x": r(3, 4, 5)})
case("var_dim", lambda x: x.var(1), {"x": r(3, 4, 5)})

# ---- shape ----
case("permute", lambda x: x.permute(2, 0, 1), {"x": r(3, 4, 5)})
case("transpose", lambda x: x.transpose(0, 1), {"x": r(3, 4)})
case("slice_step", lambda x: x[:, 1:5:2], {"x": r(3, 6, 2)})
case("concat", lambda a, b: torch.cat([a, b], 1), {"a": r(2, 3, 2), "b": r(2, 1, 2)})
case("reshape", lambda x: x.reshape(6, -1) * 2.0, {"x": r(3, 4, 2)})

# ---- losses ----
case("mse", lambda p, t: F.mse_loss(p, t), {"p": r(4, 5), "t": r(4, 5)}, grads=["p"])
case("l1", lambda p, t: F.l1_loss(p, t), {"p": r(4, 5), "t": r(4, 5)}, grads=["p"])
case("bce_logits", lambda z, t: F.binary_cross_entropy_with_logits(z, t), {"z": 3 * r(4, 5), "t": torch.rand(4, 5)}, grads=["z"])
tgt = torch.randint(0, 7, (6,))
case("cross_entropy", lambda z: F.cross_entropy(z, tgt), {"z": r(6, 7)}, extra={"target": tgt.double()})
tgt_px = torch.randint(0, 256, (2, 2, 3))
case("cross_entropy_pixels", lambda z: F.cross_entropy(z, tgt_px), {"z": r(2, 256, 2, 3)}, extra={"target": tgt_px.double()})
case("gaussian_kl", lambda mu, logvar: -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / mu.shape[0],
     {"mu": r(4, 3), "logvar": 0.5 * r(4, 3)})

# ---- convolutions ----
case("conv2d_s2p1", lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), {"x": r(2, 3, 7, 6), "w": r(4, 3, 3, 3), "b": r(4)})
case("conv2d_dil_groups", lambda x, w: F.conv2d(x, w, None, stride=1, padding=2, dilation=2, groups=2),
     {"x": r(2, 4, 9, 8), "w": r(6, 2, 3, 2)})
case("conv2d_1x1", lambda x, w, b: F.conv2d(x, w, b), {"x": r(2, 3, 5, 5), "w": r(4, 3, 1, 1), "b": r(4)})
case("conv_transpose2d", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
     {"x": r(2, 4, 5, 4), "w": r(4, 3, 4, 4), "b": r(3)})
case("conv_transpose2d_groups", lambda x, w: F.conv_transpose2d(x, w, None, stride=2, groups=2),
     {"x": r(1, 4, 3, 3), "w": r(4, 2, 3, 3)})


def pixelcnn_mask(w, kind):
    m = torch.ones_like(w)
    kh, kw = w.shape[2], w.shape[3]
    m[:, :, kh // 2, kw // 2 + (1 if kind == "B" else 0):] = 0
    m[:, :, kh // 2 + 1:] = 0
    return m


case("masked_conv_A", lambda x, w, b: F.conv2d(x, w * pixelcnn_mask(w, "A"), b, padding=2), {"x": r(2, 3, 6, 6), "w": r(5, 3, 5, 5), "b": r(5)})
case("masked_conv_B", lambda x, w, b: F.conv2d(x, w * pixelcnn_mask(w, "B"), b, padding=1), {"x": r(2, 3, 6, 6), "w": r(5, 3, 3, 3), "b": r(5)})

# ---- pooling and upsampling ----
case("avg_pool", lambda x: F.avg_pool2d(x, 3, 2, 1), {"x": r(2, 3, 7, 6)})
case("max_pool", lambda x: F.max_pool2d(x, 2, 2), {"x": r(2, 3, 6, 7)})
case("max_pool_pad", lambda x: F.max_pool2d(x, 3, 2, 1), {"x": r(2, 3, 7, 6)})
case("upsample_nearest", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"), {"x": r(2, 3, 4, 5)})
case("upsample_bilinear", lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False), {"x": r(2, 3, 4, 5)})

# ---- normalisation ----
rm, rv = r(3), torch.rand(3) + 0.5
rm_after, rv_after = rm.clone(), rv.clone()
case("batch_norm_train", lambda x, w, b: F.batch_norm(x, rm_after, rv_after, w, b, training=True, momentum=0.1, eps=1e-5),
     {"x": r(4, 3, 5, 5), "w": r(3), "b": r(3)}, extra={"running_mean": rm, "running_var": rv},
     after=lambda: {"running_mean_after": rm_after, "running_var_after": rv_after})
case("batch_norm_eval", lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-5),
     {"x": r(4, 3, 5, 5), "w": r(3), "b": r(3)}, extra={"running_mean": rm, "running_var": rv})
case("group_norm", lambda x, w, b: F.group_norm(x, 3, w, b, eps=1e-5), {"x": r(2, 6, 4, 3), "w": r(6), "b": r(6)})
case("layer_norm", lambda x, w, b: F.layer_norm(x, (8,), w, b, eps=1e-5), {"x": r(3, 4, 8), "w": r(8), "b": r(8)})

# ---- embedding, attention, spectral norm ----
idx = torch.randint(0, 10, (2, 3))
case("embedding", lambda t: F.embedding(idx, t), {"t": r(10, 4)}, extra={"indices": idx.double()})
case("attention", lambda q, k, v: torch.softmax(q @ k.transpose(-1, -2) / 2.0, -1) @ v,
     {"q": r(2, 3, 5, 4), "k": r(2, 3, 6, 4), "v": r(2, 3, 6, 7)})
u0 = F.normalize(r(5), dim=0, eps=1e-12)


def spectral(w):
    W = w.reshape(5, -1)
    with torch.no_grad():
        v = F.normalize(W.t() @ u0, dim=0, eps=1e-12)
        u = F.normalize(W @ v, dim=0, eps=1e-12)
        v = F.normalize(W.t() @ u, dim=0, eps=1e-12)
        spectral.u = u
    sigma = torch.dot(u, W @ v)
    return w / sigma


spectral.u = None
case("spectral_norm", spectral, {"w": r(5, 3, 2, 2)}, extra={"u": u0}, after=lambda: {"u_after": spectral.u})


# ---- double backward: a WGAN-GP critic's gradient penalty (create_graph=True) ----
def wgan_gp_fixture():
    t = {"x": r(4, 1, 6, 6), "cw": 0.5 * r(3, 1, 3, 3), "cb": 0.1 * r(3), "lw": 0.3 * r(1, 27), "lb": 0.1 * r(1)}
    t = {k: v.to(torch.float32).to(torch.float64).requires_grad_() for k, v in t.items()}
    d = F.linear(F.leaky_relu(F.conv2d(t["x"], t["cw"], t["cb"], stride=2, padding=1), 0.2).flatten(1), t["lw"], t["lb"])
    g, = torch.autograd.grad(d.sum(), t["x"], create_graph=True)
    gp = ((g.flatten(1).pow(2).sum(1).sqrt() - 1.0) ** 2).mean()
    loss = d.mean() + 10.0 * gp
    grads = torch.autograd.grad(loss, list(t.values()))
    out = dict(t)
    out["d"] = d
    out["input_grad"] = g
    out["gp"] = gp
    out["loss"] = loss
    for k, gr in zip(t, grads):
        out["grad_" + k] = gr
    write("wgan_gp", out)


wgan_gp_fixture()


def wgan_gp_norm_fixture():
    """The penalty through GroupNorm and LayerNorm (critics without BatchNorm)."""
    t = {"x": r(4, 2, 5, 5), "cw": 0.5 * r(4, 2, 3, 3), "gw": 1 + 0.1 * r(4), "gb": 0.1 * r(4),
         "lw": 1 + 0.1 * r(100), "lb": 0.1 * r(100), "fw": 0.1 * r(1, 100)}
    t = {k: v.to(torch.float32).to(torch.float64).requires_grad_() for k, v in t.items()}
    h = F.leaky_relu(F.group_norm(F.conv2d(t["x"], t["cw"], None, padding=1), 2, t["gw"], t["gb"]), 0.2)
    d = F.linear(F.layer_norm(h.flatten(1), (100,), t["lw"], t["lb"]), t["fw"])
    g, = torch.autograd.grad(d.sum(), t["x"], create_graph=True)
    gp = ((g.flatten(1).pow(2).sum(1).sqrt() - 1.0) ** 2).mean()
    keys = ["x", "cw", "gw", "lw", "fw"]  # the biases shift d, not dd/dx: no gradient from gp
    grads = torch.autograd.grad(gp, [t[k] for k in keys])
    out = dict(t)
    out["gp"] = gp
    for k, gr in zip(keys, grads):
        out["grad_" + k] = gr
    write("wgan_gp_norm", out)


wgan_gp_norm_fixture()

# Added later, with their own seed so that the fixtures above stay as they were.
# Stride-1 shapes of the direct convolution path: a U-Net block's 3x3 (7x7 images, more
# output channels than one register block), a non-square kernel, padding wider than the
# kernel (its input gradient takes the im2col path), and a stride-1 transposed conv.
torch.manual_seed(4321)
case("conv2d_unet_3x3", lambda x, w, b: F.conv2d(x, w, b, padding=1), {"x": r(3, 16, 7, 7), "w": r(33, 16, 3, 3), "b": r(33)})
case("conv2d_3x2", lambda x, w: F.conv2d(x, w, None, padding=1), {"x": r(2, 5, 6, 9), "w": r(6, 5, 3, 2)})
case("conv2d_wide_pad", lambda x, w: F.conv2d(x, w, None, padding=3), {"x": r(2, 3, 5, 6), "w": r(4, 3, 3, 3)})
case("conv_transpose2d_s1", lambda x, w, b: F.conv_transpose2d(x, w, b, padding=1), {"x": r(2, 4, 6, 6), "w": r(4, 3, 3, 3), "b": r(3)})

# The per-ISA SiLU/GroupNorm kernels and the upsampling loops: rows whose length is no
# multiple of any vector width, inputs far from zero mean (GroupNorm's centred sums),
# SiLU over a wide range (the exp's reduction), and a scale other than 2.
torch.manual_seed(5678)
case("silu_wide", lambda x: F.silu(x), {"x": 12 * r(3, 37)})
case("group_norm_offset", lambda x, w, b: F.group_norm(x, 4, w, b, eps=1e-5), {"x": 20 + 3 * r(2, 8, 7, 7), "w": r(8), "b": r(8)})
case("upsample_nearest_x3", lambda x: F.interpolate(x, scale_factor=3, mode="nearest"), {"x": r(2, 3, 3, 5)})

print("wrote", len(os.listdir(OUT)), "fixtures to", OUT)
