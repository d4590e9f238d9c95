#!/usr/bin/python3
"""The same layers as bench_layers.cpp in PyTorch: forward, then torch.autograd.grad of
sum(y * go) for the input and weights. Usage: bench_torch.py <threads> <reps>.
Prints <name> <median wall ms> <median process CPU ms> per layer."""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)
B = 128


def p(*s):
    return (torch.randn(*s) * 0.05).requires_grad_()


def bench(name, shape, weights, layer):
    x = torch.randn(*shape, requires_grad=True)
    with torch.no_grad():
        go = torch.randn(layer(x).shape)

    def step():
        y = layer(x)
        torch.autograd.grad(y, [x] + weights, go)

    step()
    wall, cpu = [], []
    for _ in range(reps):
        a, c = time.perf_counter(), time.process_time()
        step()
        wall.append((time.perf_counter() - a) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
    print("%-28s %9.3f %9.3f" % (name, statistics.median(wall), statistics.median(cpu)), flush=True)


lw, lb = p(400, 784), p(400)
bench("linear_784x400", (B, 784), [lw, lb], lambda x: F.linear(x, lw, lb))
c1w, c1b = p(128, 64, 4, 4), p(128)
bench("conv_64_128_k4s2", (B, 64, 14, 14), [c1w, c1b], lambda x: F.conv2d(x, c1w, c1b, stride=2, padding=1))
tw, tb = p(256, 128, 4, 4), p(128)
bench("convT_256_128_k4s2", (B, 256, 7, 7), [tw, tb], lambda x: F.conv_transpose2d(x, tw, tb, stride=2, padding=1))
c3w, c3b = p(32, 32, 3, 3), p(32)
bench("conv3x3_32_28x28", (B, 32, 28, 28), [c3w, c3b], lambda x: F.conv2d(x, c3w, c3b, padding=1))
c6w, c6b = p(64, 64, 3, 3), p(64)
bench("conv3x3_64_14x14", (B, 64, 14, 14), [c6w, c6b], lambda x: F.conv2d(x, c6w, c6b, padding=1))
gw, gb = p(64), p(64)
bench("groupnorm_8x64_14x14", (B, 64, 14, 14), [gw, gb], lambda x: F.group_norm(x, 8, gw, gb))
bw, bb = p(64), p(64)
bench("batchnorm_64_14x14", (B, 64, 14, 14), [bw, bb], lambda x: F.batch_norm(x, None, None, bw, bb, training=True))
bench("relu_64_14x14", (B, 64, 14, 14), [], lambda x: F.relu(x))
bench("attention_7x7x64", (B, 49, 64), [], lambda x: F.scaled_dot_product_attention(x, x, x)
      if hasattr(F, "scaled_dot_product_attention") else torch.softmax(x @ x.transpose(-1, -2) / 8.0, -1) @ x)
