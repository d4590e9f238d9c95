#!/usr/bin/python3
"""torch's side of train_optim_bench: one update of each optimizer on the same sizes.

    /usr/bin/python3 tests/host/train/bench_torch.py [millions of floats, default 4] [repeats, default 20]

Single thread and foreach=False (the per-tensor path), like our loops.
"""
import sys
import time

import torch

torch.set_num_threads(1)
n = int(float(sys.argv[1] if len(sys.argv) > 1 else 4) * 1e6)
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
p = torch.nn.Parameter(torch.arange(n, dtype=torch.float32).remainder(1000) * 1e-3)
p.grad = (torch.arange(n, dtype=torch.float64) * 7919).remainder(1000).float() * 1e-6 - 5e-4


def best(f):
    f()
    t = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return min(t)


def report(what, s, floats):
    print(f"{what:<28} {s * 1e3:8.3f} ms  {s * 1e9 / n:6.2f} ns/param  {n * floats * 4 / s / 1e9:6.1f} GB/s")


print(f"{n} parameters, best of {repeats}, torch {torch.__version__}, 1 thread")
with torch.no_grad():
    for name, opt, floats in [
        ("sgd momentum", torch.optim.SGD([p], lr=1e-3, momentum=0.9), 5),
        ("adam", torch.optim.Adam([p], foreach=False), 7),
        ("adam foreach=True", torch.optim.Adam([p], foreach=True), 7),
        ("adamw", torch.optim.AdamW([p], foreach=False), 7),
        ("adam amsgrad", torch.optim.Adam([p], amsgrad=True, foreach=False), 9),
        ("rmsprop centered momentum", torch.optim.RMSprop([p], centered=True, momentum=0.9, foreach=False), 9),
    ]:
        report(name, best(opt.step), floats)
    shadow = p.detach().clone()
    report("ema update (diffusers)", best(lambda: shadow.sub_(1e-4 * (shadow - p))), 3)
    report("grad_norm (l2)", best(lambda: torch.nn.utils.clip_grad_norm_([p], 1e9)), 1)
    report("isfinite(grad).all()", best(lambda: bool(torch.isfinite(p.grad).all())), 1)
